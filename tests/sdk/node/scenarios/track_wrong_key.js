// customerio-node: a wrong Track key; the SDK must report the 401 and its message.
module.exports = ({ id, trackWith }) => trackWith('not-the-key').identify(id, {})
