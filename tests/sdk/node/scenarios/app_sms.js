// APIClient.sendSMS with a SendSMSRequest to the person's phone number.
module.exports = async ({ id, args, track, api, sdk }) => {
  await track.identify(id, { phone: args.phone })
  return api.sendSMS(new sdk.SendSMSRequest({ transactional_message_id: args.template, identifiers: { id }, to: args.phone }))
}
