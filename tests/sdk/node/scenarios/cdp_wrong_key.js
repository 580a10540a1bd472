// A wrong write key: the emulator answers 401 and the SDK must report it.
module.exports = ({ id, cdp }) => cdp([['track', { userId: id, event: 'Never Stored' }]], { writeKey: 'not-the-write-key' })
