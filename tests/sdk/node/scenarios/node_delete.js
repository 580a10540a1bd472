// customerio-node: delete a person.
const { id, runNode } = require('../_lib')
runNode(async (track) => {
  await track.identify(id, {})
  return track.destroy(id)
})
