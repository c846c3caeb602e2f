// Mirrors enigma.js examples/authentication/sense-using-certificates: enigma.js straight to the engine
// port with the exported client certificate and X-Qlik-User. Only the addresses come from the environment.
const enigma = require('enigma.js');
const WebSocket = require('ws');
const path = require('path');
const fs = require('fs');

const schema = require('enigma.js/schemas/12.20.0.json');

const engineHost = process.env.EXAMPLE_ENGINE_HOST; // host (localhost on a real site's own machine)
const enginePort = process.env.EXAMPLE_ENGINE_PORT; // 4747 on a real site
const appId = 'engineData';
const userDirectory = process.env.EXAMPLE_USER_DIRECTORY;
const userId = process.env.EXAMPLE_USER_ID;
const certificatesPath = process.env.EXAMPLE_CERTS;

const readCert = (filename) => fs.readFileSync(path.resolve(certificatesPath, filename));

const session = enigma.create({
  schema,
  url: `wss://${engineHost}:${enginePort}/app/${appId}`,
  createSocket: (url) =>
    new WebSocket(url, {
      ca: [readCert('root.pem')],
      key: readCert('client_key.pem'),
      cert: readCert('client.pem'),
      headers: { 'X-Qlik-User': `UserDirectory=${encodeURIComponent(userDirectory)}; UserId=${encodeURIComponent(userId)}` },
    }),
});

session
  .open()
  .then((global) =>
    global.getDocList().then(async (list) => {
      console.log(JSON.stringify({ apps: list.map((app) => app.qDocId), user: await global.getAuthenticatedUser() }));
      await session.close();
    }),
  )
  .catch((error) => {
    console.log('Failed to open session and/or retrieve the app list:', error);
    process.exit(1);
  });
