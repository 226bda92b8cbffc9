// Writes a copy of a collection for newman that sends every request to 127.0.0.1:PORT over
// HTTP, without scripts, and prints the `--env-var` arguments for variables used as hosts.
// Usage: node prepare.js COLLECTION PORT OUT
'use strict';
const fs = require('fs');
const [file, port, out] = process.argv.slice(2);
const collection = JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
const hostVariables = new Set();
function visit(node) {
  if (Array.isArray(node)) return node.forEach(visit);
  if (!node || typeof node !== 'object') return;
  delete node.event;
  if (node.request && typeof node.request === 'object') {
    let url = node.request.url;
    if (typeof url === 'string') url = node.request.url = { raw: url };
    if (url && typeof url === 'object') {
      const raw = String(url.raw || '');
      const variable = /^\{\{([^}]+)\}\}/.exec(raw.replace(/^https?:\/\//, ''));
      if (variable) hostVariables.add(variable[1]);
      const path = Array.isArray(url.path) ? url.path
        : raw.replace(/^[a-z]+:\/\//i, '').split('?')[0].split('/').slice(1);
      url.protocol = 'http';
      url.host = ['127', '0', '0', '1'];
      url.port = port;
      url.path = path;
      delete url.raw;
    }
  }
  for (const key of Object.keys(node)) if (key !== 'request') visit(node[key]);
}
visit(collection.item);
delete collection.event;
fs.writeFileSync(out, JSON.stringify(collection));
console.log([...hostVariables].map((v) => `--env-var ${v}=http://127.0.0.1:${port}`).join(' '));
