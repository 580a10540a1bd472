// Several CDP calls flushed together: the SDK sends them in one /v1/batch request.
module.exports = ({ id, cdp }) =>
  cdp(
    [
      ['identify', { userId: id, traits: { source: 'batch' } }],
      ['track', { userId: id, event: 'Signed Up' }],
      ['page', { userId: id, name: 'Welcome' }],
      ['screen', { userId: id, name: 'Home' }],
      ['group', { userId: id, groupId: `${id}-org`, traits: { name: 'Org' } }],
    ],
    { maxEventsInBatch: 50, flushInterval: 1000 }
  )
