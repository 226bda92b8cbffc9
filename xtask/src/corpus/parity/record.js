// The recording server of `xtask parity`: answers every request with 200 `{}` and
// an `x-parity-record` header numbering it, and appends each request, as it arrived, to the
// JSON-lines file named by its argument. Prints its port when it listens on 127.0.0.1.
const http = require('http');
const fs = require('fs');

const out = fs.openSync(process.argv[2], 'w');
let count = 0;
const server = http.createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    count += 1;
    const record = {
      id: count,
      method: request.method,
      target: request.url,
      headers: request.rawHeaders,
      // One character per byte, so any body survives as a JSON string.
      body: Buffer.concat(chunks).toString('latin1'),
    };
    fs.writeSync(out, JSON.stringify(record) + '\n');
    response.writeHead(200, { 'content-type': 'application/json', 'x-parity-record': String(count) });
    response.end('{}');
  });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
