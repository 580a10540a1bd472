// CDP page: a named page view with its URL.
module.exports = ({ id, cdp }) =>
  cdp([['page', { userId: id, name: 'Pricing', properties: { url: 'https://example.com/pricing' } }]])
