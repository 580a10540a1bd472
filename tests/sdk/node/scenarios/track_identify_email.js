// TrackClient.identify by email: the path identifier is the email address, no id at all.
module.exports = ({ id, track }) => track.identify(`${id}@example.com`, { plan: 'basic' })
