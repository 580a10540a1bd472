// customerio-node: an anonymous event.
const { id, runNode } = require('../_lib')
runNode((track) => track.trackAnonymous(`${id}-anon`, { name: 'Viewed Pricing', data: { plan: 'pro' } }))
