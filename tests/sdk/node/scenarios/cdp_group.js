// CDP group: the user joins an object (of type 1, the default) with traits.
module.exports = ({ id, cdp }) => cdp([['group', { userId: id, groupId: `${id}-team`, traits: { name: 'Team', seats: 5 } }]])
