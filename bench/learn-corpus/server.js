// A stand-in for a live API, for bench/learn-corpus/run: answers every request on 127.0.0.1
// with JSON whose shape is fixed per route (method and path, with segments holding digits read
// as ids) and whose content varies per response: optional fields missing, nullable fields null,
// numbers integral or fractional, lists of 0 to 3 items; every 9th response of a route is a
// 404 with a JSON error. Deterministic for a seed. Usage: node server.js PORT SEED
'use strict';
const http = require('http');
const [port, seed] = [Number(process.argv[2]), Number(process.argv[3] || 1)];

function rng(state) {
  let s = state >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}
function hash(text) {
  let h = 2166136261;
  for (const c of text) { h ^= c.charCodeAt(0); h = Math.imul(h, 16777619) >>> 0; }
  return h;
}
const WORDS = ['id', 'name', 'status', 'created', 'updated', 'type', 'count', 'amount', 'email',
  'label', 'enabled', 'owner', 'items', 'tags', 'profile', 'region', 'score', 'url', 'version',
  'group', 'role', 'limit', 'total', 'code', 'description', 'parent', 'settings', 'links'];

// A shape: {kind, fields?: [{key, shape, optional, nullable}], item?}.
function shapeFor(random, depth) {
  const roll = random();
  if (depth < 2 && roll < 0.15) return { kind: 'object', fields: fieldsFor(random, depth + 1) };
  if (depth < 2 && roll < 0.25) return { kind: 'array', item: { kind: 'object', fields: fieldsFor(random, depth + 1) } };
  if (roll < 0.35) return { kind: 'array', item: { kind: 'string' } };
  if (roll < 0.5) return { kind: 'integer' };
  if (roll < 0.6) return { kind: 'number' };
  if (roll < 0.7) return { kind: 'boolean' };
  return { kind: 'string' };
}
function fieldsFor(random, depth) {
  const count = 2 + Math.floor(random() * 7);
  const fields = [];
  for (let i = 0; i < count; i++) {
    const key = WORDS[Math.floor(random() * WORDS.length)] + (i ? '_' + i : '');
    fields.push({ key, shape: shapeFor(random, depth), optional: random() < 0.3, nullable: random() < 0.25 });
  }
  return fields;
}
function value(shape, random) {
  switch (shape.kind) {
    case 'object': {
      const out = {};
      for (const f of shape.fields) {
        if (f.optional && random() < 0.35) continue;
        out[f.key] = f.nullable && random() < 0.3 ? null : value(f.shape, random);
      }
      return out;
    }
    case 'array': return Array.from({ length: Math.floor(random() * 4) }, () => value(shape.item, random));
    case 'integer': return Math.floor(random() * 1000);
    case 'number': return random() < 0.5 ? Math.floor(random() * 100) : Math.round(random() * 10000) / 100 + 0.01;
    case 'boolean': return random() < 0.5;
    default: return 'v' + Math.floor(random() * 1e6);
  }
}

const calls = new Map();
const responses = rng(seed);
http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const path = req.url.split('?')[0].split('/').filter(Boolean)
      .map((s) => (/\d/.test(s) || s.length > 24 ? ':id' : s)).join('/');
    const route = `${req.method} /${path}`;
    const n = (calls.get(route) || 0) + 1;
    calls.set(route, n);
    let status = 200;
    let body;
    if (n % 9 === 0) {
      status = 404;
      body = { error: { code: 'not_found', message: 'm' + n } };
    } else {
      const shape = { kind: 'object', fields: fieldsFor(rng(hash(route)), 0) };
      body = value(shape, responses);
    }
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  });
}).listen(port, '127.0.0.1');
