// customerio-node: merge a secondary person into a primary one.
const { id, runNode } = require('../_lib')
runNode(async (track, api, { IdentifierType }) => {
  await track.identify(id, { plan: 'pro' })
  await track.identify(`${id}-dup`, { utm: 'ads' })
  return track.mergeCustomers(IdentifierType.Id, id, IdentifierType.Id, `${id}-dup`)
})
