// customerio-node: delete a person.
module.exports = async ({ id, track }) => {
  await track.identify(id, {})
  return track.destroy(id)
}
