// CDP group: the user joins an object (of type 1, the default) with traits.
const { id, runCdp } = require('../_lib')
runCdp([['group', { userId: id, groupId: `${id}-team`, traits: { name: 'Team', seats: 5 } }]])
