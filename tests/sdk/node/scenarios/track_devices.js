// customerio-node: add two devices, then delete one of them.
module.exports = async ({ id, track }) => {
  await track.identify(id, {})
  await track.addDevice(id, `${id}-token`, 'ios', { app_version: '1.2.3' })
  await track.addDevice(id, `${id}-gone`, 'android')
  return track.deleteDevice(id, `${id}-gone`)
}
