// The recording server of `xtask parity`: answers every request with 200 `{}` and
// an `x-parity-record` header numbering it, and appends each request, as it arrived, to the
// JSON-lines file named by its first argument. With a second argument, a JSON object of saved
// examples (`{status, headers, body}`) by item tag, a request whose `x-parity-item` header
// names one is answered with it instead. Prints its port when it listens on 127.0.0.1.
const http = require('http');
const fs = require('fs');

const out = fs.openSync(process.argv[2], 'w');
const answers = process.argv[3] ? JSON.parse(fs.readFileSync(process.argv[3], 'utf8')) : {};
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
    const answer = answers[request.headers['x-parity-item']];
    if (answer) {
      const headers = answer.headers.filter(([key]) => key.toLowerCase() !== 'x-parity-record');
      headers.push(['x-parity-record', String(count)]);
      try {
        response.writeHead(answer.status, headers.flat());
      } catch (error) {
        // A saved header Node.js refuses: answer with the body alone.
        response.writeHead(answer.status, { 'x-parity-record': String(count) });
      }
      response.end(answer.body);
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json', 'x-parity-record': String(count) });
    response.end('{}');
  });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
