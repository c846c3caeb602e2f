// The file names of a certificate export from the QMC (Certificates > Export): what the importer looks
// for, what the simulator writes, and the placeholders of copy-paste curl commands.

export const QMC_EXPORT_FILES = { cert: 'client.pem', key: 'client_key.pem', ca: 'root.pem', pfx: 'client.pfx' } as const;
