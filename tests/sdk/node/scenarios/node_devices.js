// customerio-node: add a device, then delete another one.
const { id, runNode } = require('../_lib')
runNode(async (track) => {
  await track.identify(id, {})
  await track.addDevice(id, `${id}-token`, 'ios', { app_version: '1.2.3' })
  await track.addDevice(id, `${id}-gone`, 'android')
  return track.deleteDevice(id, `${id}-gone`)
})
