// CDP screen: a named screen view.
const { id, runCdp } = require('../_lib')
runCdp([['screen', { userId: id, name: 'Settings', properties: { tab: 'privacy' } }]])
