// customerio-node: merge a secondary person into a primary one.
module.exports = async ({ id, track, sdk }) => {
  await track.identify(id, { plan: 'pro' })
  await track.identify(`${id}-dup`, { utm: 'ads' })
  return track.mergeCustomers(sdk.IdentifierType.Id, id, sdk.IdentifierType.Id, `${id}-dup`)
}
