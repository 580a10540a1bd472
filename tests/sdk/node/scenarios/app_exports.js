// APIClient exports: a customers export of one tagged person and a deliveries export, then
// listed, read and downloaded.
module.exports = async ({ id, args, track, api }) => {
  await track.identify(id, { export_tag: id })
  const customers = await api.createCustomersExport({ and: [{ attribute: { field: 'export_tag', operator: 'eq', value: id } }] })
  const deliveries = await api.createDeliveriesExport(args.newsletter, { metric: 'sent' })
  const exportId = customers.export.id
  return {
    customers,
    deliveries,
    list: await api.listExports(),
    get: await api.getExport(exportId),
    download: await api.downloadExport(exportId),
  }
}
