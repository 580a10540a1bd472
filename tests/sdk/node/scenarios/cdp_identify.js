// CDP identify: a user with traits.
const { id, runCdp } = require('../_lib')
runCdp([['identify', { userId: id, traits: { email: `${id}@example.com`, plan: 'pro' } }]])
