// A wrong write key: the emulator answers 401 and the SDK must report it.
const { id, runCdp } = require('../_lib')
runCdp([['track', { userId: id, event: 'Never Stored' }]], { writeKey: 'not-the-write-key' })
