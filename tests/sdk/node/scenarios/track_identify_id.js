// TrackClient.identify by id: a person with attributes.
module.exports = ({ id, track }) => track.identify(id, { email: `${id}@example.com`, plan: 'pro' })
