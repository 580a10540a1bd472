// CDP identify: a user with traits.
module.exports = ({ id, cdp }) => cdp([['identify', { userId: id, traits: { email: `${id}@example.com`, plan: 'pro' } }]])
