// Mirrors enigma.js examples/authentication/sense-using-ticket (ticket.js + config.js): a ticket from QPS
// with the exported certificates, then enigma.js on the proxy with `QlikTicket` in the URL. Only the
// addresses come from the environment; the site CA is trusted through NODE_EXTRA_CA_CERTS, as a script
// against a self-signed site should be (never by turning TLS checks off).
const https = require('https');
const fs = require('fs');
const path = require('path');
const enigma = require('enigma.js');
const WebSocket = require('ws');

const schema = require('enigma.js/schemas/12.20.0.json');

const certs = process.env.EXAMPLE_CERTS;
const xrfKey = 'abcdefghijklmnop';
const config = {
  qpsHost: process.env.EXAMPLE_QPS_HOST, // host:port of QPS (4243 on a real site)
  proxyHost: process.env.EXAMPLE_PROXY_HOST, // host:port of the proxy (443 on a real site)
  virtualProxy: '',
  appId: 'engineData',
  userDirectory: process.env.EXAMPLE_USER_DIRECTORY,
  userId: process.env.EXAMPLE_USER_ID,
};

function postTicket() {
  const body = JSON.stringify({ UserDirectory: config.userDirectory, UserId: config.userId, Attributes: [], TargetId: '' });
  return new Promise((resolve, reject) => {
    const req = https.request(
      `https://${config.qpsHost}/qps${config.virtualProxy}/ticket?xrfkey=${xrfKey}`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Qlik-Xrfkey': xrfKey },
        ca: [fs.readFileSync(path.join(certs, 'root.pem'))],
        key: fs.readFileSync(path.join(certs, 'client_key.pem')),
        cert: fs.readFileSync(path.join(certs, 'client.pem')),
        timeout: 10000,
      },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => (res.statusCode < 300 ? resolve(JSON.parse(text)) : reject(new Error(`ticket: ${res.statusCode} ${text}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

let possibleEnigmaErr;

(async () => {
  const data = await postTicket();
  const session = enigma.create({
    schema,
    url: `https://${config.proxyHost}${config.virtualProxy}/app/${config.appId}?QlikTicket=${data.Ticket}`,
    createSocket: (url) =>
      new WebSocket(url, {
        headers: { 'X-Qlik-User': `UserDirectory=${encodeURIComponent(config.userDirectory)}; UserId=${encodeURIComponent(config.userId)}` },
      }),
  });
  session.on('traffic:received', (res) => {
    if (res.params && res.params.severity === 'fatal') possibleEnigmaErr = res.params.message;
  });
  const global = await session.open();
  const list = await global.getDocList();
  console.log(JSON.stringify({ apps: list.map((app) => app.qDocId), user: await global.getAuthenticatedUser() }));
  await session.close();
})().catch((err) => {
  console.error('Enigma error:', possibleEnigmaErr || err);
  process.exit(1);
});
