// CDP alias: an anonymous profile merged into a user. The SDK sends alias inside /v1/batch.
module.exports = ({ id, cdp }) =>
  cdp([
    ['identify', { anonymousId: `${id}-anon`, traits: { utm: 'ads' } }],
    ['identify', { userId: id, traits: { plan: 'pro' } }],
    ['alias', { userId: id, previousId: `${id}-anon` }],
  ])
