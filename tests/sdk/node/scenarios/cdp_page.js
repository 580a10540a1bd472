// CDP page: a named page view with its URL.
const { id, runCdp } = require('../_lib')
runCdp([['page', { userId: id, name: 'Pricing', properties: { url: 'https://example.com/pricing' } }]])
