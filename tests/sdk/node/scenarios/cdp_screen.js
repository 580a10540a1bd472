// CDP screen: a named screen view.
module.exports = ({ id, cdp }) => cdp([['screen', { userId: id, name: 'Settings', properties: { tab: 'privacy' } }]])
