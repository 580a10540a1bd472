// CDP track: an event with properties for an identified user.
module.exports = ({ id, cdp }) =>
  cdp([
    ['identify', { userId: id, traits: { plan: 'free' } }],
    ['track', { userId: id, event: 'Order Completed', properties: { total: 42.5, items: 2 } }],
  ])
