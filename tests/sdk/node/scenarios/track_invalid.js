// customerio-node: an attribute over the 1000-byte limit; the SDK must report the field.
module.exports = ({ id, track }) => track.identify(id, { too_long: 'x'.repeat(1100) })
