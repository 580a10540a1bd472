// customerio-node: an anonymous event.
module.exports = ({ id, track }) => track.trackAnonymous(`${id}-anon`, { name: 'Viewed Pricing', data: { plan: 'pro' } })
