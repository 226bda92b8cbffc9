// The part of Postman's script sandbox that collection scripts use, over `__state` (the
// variables, the request, the response and the answers to requests the script sends, set
// before this runs). What a script does to variables and to the request is recorded in order,
// for the client to apply; assertions, logging and flow control do nothing.
// `__script.run(source)` runs one script; `__script.settle()` runs the callbacks that are due
// (after the engine's promise jobs), saying whether any ran; `__script.record()` gives the
// record as JSON: `{ops, error, requests}`, where `requests` are those the script sent that
// have no answer yet.
var __script = (function (global) {
  'use strict';
  var state = global.__state;
  var ops = [];
  var timers = [];
  // Requests the script sent (`pm.sendRequest`): `{spec, deliver}`, in order; the answers the
  // client has for them, in the same order; and those without one.
  var sent = [];
  var answers = state.answers || [];
  var requests = [];
  var settled = 0;
  var fired = 0;
  var error = null;

  // `Math.random` draws from the client's generator (mulberry32), from the seed the client
  // gives this script.
  var random = state.random >>> 0;
  Math.random = function () {
    random = (random + 0x6d2b79f5) >>> 0;
    var t = Math.imul(random ^ (random >>> 15), 1 | random);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  // An API of Postman's that the client's sandbox does not have: the script stops there, and
  // the request goes on (as when a Postman script fails).
  function Unavailable(what) {
    this.name = 'Unavailable';
    this.message = what + ' is not available in the client';
  }

  function text(value) {
    if (typeof value === 'string') return value;
    if (value === undefined || value === null) return 'null';
    if (typeof value === 'object') return JSON.stringify(value);
    return String(value);
  }

  function owns(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  // `{{name}}` resolved as the client resolves it, innermost first.
  function replaceIn(template) {
    var out = String(template);
    for (var depth = 0; depth < 20; depth++) {
      var next = out.replace(/\{\{([^{}]+)\}\}/g, function (whole, name) {
        var value = dynamic(name);
        if (value === undefined) value = variables.get(name);
        return value === undefined ? whole : text(value);
      });
      if (next === out) break;
      out = next;
    }
    return out;
  }

  function uuid() {
    return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, function (c) {
      var r = Math.floor(Math.random() * 16);
      return (c === 'x' ? r : (r & 3) | 8).toString(16);
    });
  }

  function dynamic(name) {
    switch (name) {
      case '$guid':
      case '$randomUUID':
        return uuid();
      case '$timestamp':
        return String(Math.floor(Date.now() / 1000));
      case '$isoTimestamp':
        return new Date().toISOString();
      case '$randomInt':
        return String(Math.floor(Math.random() * 1001));
      default:
        return undefined;
    }
  }

  // One scope of variables; values keep their JavaScript type within the run.
  function scope(name, values, writable) {
    var api = {
      get: function (key) {
        return owns(values, key) ? values[key] : undefined;
      },
      has: function (key) {
        return owns(values, key);
      },
      toObject: function () {
        return Object.assign({}, values);
      },
      replaceIn: replaceIn,
      set: function (key, value) {
        if (!writable) throw new Unavailable('setting ' + name + ' variables');
        values[key] = value;
        ops.push(['set', name, String(key), text(value)]);
      },
      unset: function (key) {
        if (!writable) throw new Unavailable('unsetting ' + name + ' variables');
        delete values[key];
        ops.push(['unset', name, String(key)]);
      },
      clear: function () {
        Object.keys(values).forEach(api.unset);
      },
    };
    return api;
  }

  var scopes = state.scopes;
  var globals = scope('globals', scopes.globals, true);
  var collection = scope('collection', scopes.collection, true);
  var environment = scope('environment', scopes.environment, true);
  var local = scope('local', scopes.local, true);
  var variables = {
    get: function (key) {
      var layers = [local, environment, globals, collection];
      for (var i = 0; i < layers.length; i++) {
        if (layers[i].has(key)) return layers[i].get(key);
      }
      return undefined;
    },
    has: function (key) {
      return variables.get(key) !== undefined;
    },
    set: local.set,
    unset: local.unset,
    replaceIn: replaceIn,
    toObject: function () {
      return Object.assign(
        {},
        collection.toObject(),
        globals.toObject(),
        environment.toObject(),
        local.toObject()
      );
    },
  };

  // Chai's assertions as far as they decide whether the rest of a `pm.test` function runs:
  // `property`, `eql`/`equal`, `oneOf`, `status`, `exist`, `ok`, with `not`. In a test, a
  // failed one throws, which ends the function (`pm.test` catches it); outside one, and for
  // every other assertion, they pass. Other words read on.
  var testing = 0;
  function expectation(subject, negated) {
    var check = function (holds, next) {
      if (testing > 0 && holds === negated) {
        throw new Error('AssertionError: expected ' + JSON.stringify(subject));
      }
      return expectation(next === undefined ? subject : next, false);
    };
    var checks = {
      property: function (name, value) {
        var has = subject !== null && subject !== undefined && name in Object(subject);
        var found = has ? subject[name] : undefined;
        return check(has && (arguments.length < 2 || found === value), found);
      },
      eql: function (value) {
        return check(JSON.stringify(subject) === JSON.stringify(value));
      },
      equal: function (value) {
        return check(subject === value);
      },
      oneOf: function (list) {
        return check([].concat(list).indexOf(subject) >= 0);
      },
      status: function (code) {
        return check(subject && (typeof code === 'number' ? subject.code === code : subject.status === code));
      },
    };
    checks.eq = checks.equal;
    checks.equals = checks.equal;
    checks.eqls = checks.eql;
    return new Proxy(function () {}, {
      get: function (target, key) {
        if (typeof key === 'symbol') return undefined;
        if (key === 'not') return expectation(subject, !negated);
        if (key === 'exist') return check(subject !== undefined && subject !== null);
        if (key === 'ok') return check(!!subject);
        if (owns(checks, key)) return checks[key];
        return expectation(subject, negated);
      },
      apply: function () {
        return expectation(subject, negated);
      },
    });
  }

  // A header or query list: reads, and the edits recorded as `kind`.
  function list(pairs, kind) {
    // Query keys are matched as written, header names without case.
    var same = function (a, b) {
      return kind === 'query' ? a === String(b) : a.toLowerCase() === String(b).toLowerCase();
    };
    var find = function (key) {
      for (var i = 0; i < pairs.length; i++) {
        if (same(pairs[i][0], key)) return i;
      }
      return -1;
    };
    var pair = function (item, value) {
      if (typeof item === 'string' && value === undefined) {
        var at = item.indexOf(kind === 'query' ? '=' : ':');
        return at < 0 ? [item.trim(), ''] : [item.slice(0, at).trim(), item.slice(at + 1).trim()];
      }
      if (typeof item === 'string') return [item, text(value)];
      return [String(item.key !== undefined ? item.key : item.name), text(item.value)];
    };
    var api = {
      get: function (key) {
        var i = find(key);
        return i < 0 ? undefined : pairs[i][1];
      },
      has: function (key) {
        return find(key) >= 0;
      },
      count: function () {
        return pairs.length;
      },
      all: function () {
        return pairs.map(function (p) {
          return { key: p[0], value: p[1] };
        });
      },
      toObject: function () {
        var out = {};
        pairs.forEach(function (p) {
          out[kind === 'query' ? p[0] : p[0].toLowerCase()] = p[1];
        });
        return out;
      },
      each: function (f) {
        api.all().forEach(f);
      },
      map: function (f) {
        return api.all().map(f);
      },
      filter: function (f) {
        return api.all().filter(f);
      },
      find: function (f) {
        return api.all().find(f);
      },
      add: function (item, value) {
        var p = pair(item, value);
        pairs.push(p);
        ops.push([kind, 'add', p[0], p[1]]);
      },
      upsert: function (item, value) {
        var p = pair(item, value);
        var i = find(p[0]);
        if (i < 0) pairs.push(p);
        else pairs[i] = p;
        ops.push([kind, 'set', p[0], p[1]]);
      },
      remove: function (key) {
        var name = typeof key === 'string' ? key : key && key.key;
        pairs = pairs.filter(function (p) {
          return !same(p[0], name);
        });
        ops.push([kind, 'remove', String(name)]);
      },
    };
    api.append = api.add;
    return api;
  }

  var request = state.request;
  // The path as the collection writes it, and as the run's earlier scripts left it.
  var writtenPath = request.path.split('/').filter(function (segment) {
    return segment !== '';
  });
  var path = request.segments ? request.segments.slice() : writtenPath.slice();
  // The request as built before the scripts ran: its URL without the query, its query, its
  // auth (none where it could not be built).
  var built = request.built || null;
  var query = list(built ? built.query.slice() : [], 'query');
  // The URL's origin (`https://host:port`) and the path the server's own part starts.
  var origin = built ? (built.url.match(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i) || [''])[0] : '';
  var queryString = function () {
    return query
      .all()
      .map(function (p) {
        return p.value === '' ? p.key : p.key + '=' + p.value;
      })
      .join('&');
  };
  var url = {
    path: path,
    query: query,
    host: origin ? origin.replace(/^[^:]*:\/\//, '').replace(/:\d+$/, '').split('.') : [],
    protocol: origin ? origin.split(':')[0] : undefined,
    getPath: function () {
      return '/' + path.join('/');
    },
    getHost: function () {
      return url.host.join('.');
    },
    getQueryString: queryString,
    // What OAuth 1.0 signs: the URL without its query, scheme and host in lower case.
    getOAuth1BaseUrl: function () {
      return built ? origin.toLowerCase() + built.url.slice(origin.length) : url.getPath();
    },
    toString: function () {
      if (!built) return request.path;
      var q = queryString();
      return built.url + (q ? '?' + q : '');
    },
  };
  var pmRequest = {
    method: request.method,
    url: url,
    headers: list([], 'header'),
    auth: built && built.auth ? { type: built.auth } : undefined,
  };
  pmRequest.to = expectation(pmRequest, false);
  pmRequest.addHeader = pmRequest.headers.add;
  pmRequest.removeHeader = pmRequest.headers.remove;

  // A response as scripts read it (`{code, status, headers: [[name, value]], body}`).
  function received(raw) {
    var read = {
      code: raw.code,
      status: raw.status,
      responseTime: 0,
      responseSize: raw.body.length,
      headers: list(raw.headers, 'response'),
      text: function () {
        return raw.body;
      },
      json: function () {
        return JSON.parse(raw.body);
      },
      reason: function () {
        return raw.status;
      },
    };
    read.to = expectation(read, false);
    return read;
  }

  var response = null;
  if (state.response) {
    response = received(state.response);
    global.responseBody = state.response.body;
    global.responseCode = { code: response.code, name: response.status, detail: response.status };
    global.responseHeaders = response.headers.toObject();
    global.responseTime = 0;
  }

  // Header pairs as `pm.sendRequest` takes them: `"Name: value"` lines, a list of `{key,
  // value, disabled}` or of lines, or an object of names to values.
  function headerPairs(header) {
    var pairs = [];
    var line = function (text) {
      var at = text.indexOf(':');
      if (at > 0) pairs.push([text.slice(0, at).trim(), text.slice(at + 1).trim()]);
    };
    if (typeof header === 'string') {
      header.split('\n').forEach(line);
    } else if (Array.isArray(header)) {
      header.forEach(function (h) {
        if (typeof h === 'string') line(h);
        else if (h && h.key !== undefined && !h.disabled) pairs.push([String(h.key), text(h.value)]);
      });
    } else if (header && typeof header === 'object') {
      Object.keys(header).forEach(function (name) {
        pairs.push([name, text(header[name])]);
      });
    }
    return pairs;
  }

  function enabled(fields) {
    return (Array.isArray(fields) ? fields : []).filter(function (f) {
      return f && f.key !== undefined && !f.disabled;
    });
  }

  // A request a script sends, as the client sends it: `{method, url, headers, body}`, the body
  // as text or null. Its `{{variables}}` stay as written, as in Postman.
  function outgoing(request) {
    if (typeof request === 'string') return { method: 'GET', url: request, headers: [], body: null };
    if (request === null || typeof request !== 'object') {
      throw new TypeError('pm.sendRequest takes a URL or a request');
    }
    var url = request.url;
    if (url && typeof url === 'object') url = url.raw !== undefined ? url.raw : String(url);
    var headers = headerPairs(request.header);
    var has = function (name) {
      return headers.some(function (p) {
        return p[0].toLowerCase() === name;
      });
    };
    var body = null;
    var given = request.body;
    if (typeof given === 'string') {
      body = given;
    } else if (given && given.mode === 'raw') {
      body = given.raw === undefined ? '' : text(given.raw);
    } else if (given && given.mode === 'urlencoded') {
      body = typeof given.urlencoded === 'string' ? given.urlencoded : enabled(given.urlencoded)
        .map(function (f) {
          return encodeURIComponent(f.key) + '=' + encodeURIComponent(text(f.value));
        })
        .join('&');
      if (!has('content-type')) headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
    } else if (given && given.mode === 'formdata') {
      var boundary = '--------------------------postman-codegen';
      body = enabled(given.formdata)
        .map(function (f) {
          return '--' + boundary + '\r\nContent-Disposition: form-data; name="' + f.key +
            '"\r\n\r\n' + text(f.value) + '\r\n';
        })
        .join('') + '--' + boundary + '--\r\n';
      if (!has('content-type')) headers.push(['Content-Type', 'multipart/form-data; boundary=' + boundary]);
    } else if (given && given.mode === 'graphql' && given.graphql) {
      var variables = given.graphql.variables;
      if (typeof variables === 'string') {
        try {
          variables = JSON.parse(variables);
        } catch (e) {
          variables = undefined;
        }
      }
      body = JSON.stringify({ query: given.graphql.query, variables: variables });
      if (!has('content-type')) headers.push(['Content-Type', 'application/json']);
    }
    var auth = request.auth;
    var field = function (fields, key) {
      if (Array.isArray(fields)) {
        var found = fields.find(function (f) {
          return f && f.key === key;
        });
        return found ? text(found.value) : '';
      }
      return fields && fields[key] !== undefined ? text(fields[key]) : '';
    };
    if (auth && auth.type === 'basic' && !has('authorization')) {
      var user = field(auth.basic, 'username') + ':' + field(auth.basic, 'password');
      headers.push(['Authorization', 'Basic ' + global.btoa(user)]);
    } else if (auth && auth.type === 'bearer' && !has('authorization')) {
      headers.push(['Authorization', 'Bearer ' + field(auth.bearer, 'token')]);
    }
    return {
      method: String(request.method || 'GET').toUpperCase(),
      url: text(url),
      headers: headers,
      body: body,
    };
  }

  // `pm.sendRequest(request, callback)`, or without a callback a promise of the response.
  function sendRequest(request, callback) {
    var spec = outgoing(request);
    if (typeof callback === 'function') {
      sent.push({ spec: spec, deliver: callback });
      return undefined;
    }
    return new Promise(function (resolve, reject) {
      sent.push({
        spec: spec,
        deliver: function (err, res) {
          if (err) reject(err);
          else resolve(res);
        },
      });
    });
  }

  var test = function (name, f) {
    testing += 1;
    try {
      if (typeof f === 'function') f();
    } catch (e) {
      // A failed check fails the test, not the script.
    } finally {
      testing -= 1;
    }
  };
  test.skip = function () {};
  var expect = function (subject) {
    return expectation(subject, false);
  };
  expect.fail = function () {};

  global.pm = {
    globals: globals,
    collectionVariables: collection,
    environment: environment,
    variables: variables,
    iterationData: scope('data', {}, false),
    request: pmRequest,
    response: response,
    info: {
      eventName: state.listen,
      iteration: 0,
      iterationCount: 1,
      requestName: request.name,
      requestId: request.name,
    },
    test: test,
    expect: expect,
    cookies: scope('cookies', {}, false),
    visualizer: { set: function () {}, clear: function () {} },
    execution: {
      setNextRequest: function () {},
      skipRequest: function () {
        ops.push(['skip']);
      },
      location: [],
    },
    // The request goes out once the script has run; its callback runs with the answer.
    sendRequest: sendRequest,
    require: function (name) {
      throw new Unavailable("pm.require('" + name + "')");
    },
  };
  global.postman = {
    setEnvironmentVariable: environment.set,
    getEnvironmentVariable: environment.get,
    clearEnvironmentVariable: environment.unset,
    clearEnvironmentVariables: environment.clear,
    setGlobalVariable: globals.set,
    getGlobalVariable: globals.get,
    clearGlobalVariable: globals.unset,
    clearGlobalVariables: globals.clear,
    getVariable: variables.get,
    setNextRequest: function () {},
    getResponseHeader: function (name) {
      return response ? response.headers.get(name) : undefined;
    },
  };
  global.request = {
    url: request.path,
    method: request.method,
    name: request.name,
    headers: {},
    data: {},
  };
  global.environment = environment.toObject();
  global.globals = globals.toObject();
  global.data = {};
  global.iteration = 0;
  global.tests = {};
  global.console = { log: function () {}, info: function () {}, warn: function () {}, error: function () {}, debug: function () {} };
  global.setTimeout = function (f) {
    if (typeof f === 'function') timers.push(f);
    return timers.length;
  };
  global.clearTimeout = function () {};
  global.crypto = { randomUUID: uuid };
  global.require = function (name) {
    if (owns(libraries, name)) return libraries[name];
    throw new Unavailable("require('" + name + "')");
  };

  var base64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  global.btoa = function (input) {
    var s = String(input);
    var out = '';
    for (var i = 0; i < s.length; i += 3) {
      var a = s.charCodeAt(i), b = s.charCodeAt(i + 1), c = s.charCodeAt(i + 2);
      if (a > 255 || b > 255 || c > 255) throw new Error('btoa: a character outside Latin-1');
      var n = (a << 16) | ((b || 0) << 8) | (c || 0);
      out += base64[(n >> 18) & 63] + base64[(n >> 12) & 63];
      out += i + 1 < s.length ? base64[(n >> 6) & 63] : '=';
      out += i + 2 < s.length ? base64[n & 63] : '=';
    }
    return out;
  };
  global.atob = function (input) {
    var s = String(input).replace(/[\s=]/g, '');
    var out = '';
    var bits = 0, value = 0;
    for (var i = 0; i < s.length; i++) {
      var d = base64.indexOf(s[i]);
      if (d < 0) throw new Error('atob: not base64');
      value = (value << 6) | d;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out += String.fromCharCode((value >> bits) & 255);
      }
    }
    return out;
  };

  // What a thrown value says: the first error stops the script, or the callback it is in.
  function caught(e) {
    if (error !== null) return;
    var message = e !== null && typeof e === 'object' && 'message' in e ? String(e.message) : String(e);
    var name = e !== null && typeof e === 'object' && 'name' in e ? String(e.name) : 'thrown';
    error = { name: name, message: message, unavailable: e instanceof Unavailable };
  }

  // Runs the timers and request callbacks that are due, in order; a request without an answer
  // yet is asked of the client, and its callback waits. Whether any ran.
  function settle() {
    var ran = false;
    if (error !== null) return ran;
    while (fired < timers.length || settled < sent.length) {
      ran = true;
      var call;
      if (fired < timers.length) {
        call = timers[fired++];
      } else {
        var at = settled++;
        var request = sent[at];
        var answer = answers[at];
        if (answer === undefined || answer === null) {
          requests.push(request.spec);
          continue;
        }
        call = answer.error !== undefined
          ? request.deliver.bind(null, { message: answer.error, name: 'Error' }, null)
          : request.deliver.bind(null, null, received(answer));
      }
      try {
        call();
      } catch (e) {
        caught(e);
        return ran;
      }
    }
    return ran;
  }

  // Node's `Buffer`, for the conversions scripts use it for: `Buffer.from(text, encoding)`
  // and `toString(encoding)`, with UTF-8, base64, hex and Latin-1.
  function utf8(text) {
    var bytes = [];
    for (var i = 0; i < text.length; i++) {
      var c = text.codePointAt(i);
      if (c > 0xffff) i++;
      if (c < 0x80) bytes.push(c);
      else if (c < 0x800) bytes.push(0xc0 | (c >> 6), 0x80 | (c & 63));
      else if (c < 0x10000) bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      else bytes.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    }
    return bytes;
  }
  function latin1(bytes) {
    return bytes
      .map(function (b) {
        return String.fromCharCode(b);
      })
      .join('');
  }
  function Buffer(bytes) {
    this.bytes = bytes;
    this.length = bytes.length;
  }
  Buffer.from = function (value, encoding) {
    if (value instanceof Buffer) return new Buffer(value.bytes.slice());
    if (Array.isArray(value)) return new Buffer(value.map(function (b) { return b & 255; }));
    var text = String(value);
    switch (String(encoding || 'utf8').toLowerCase()) {
      case 'base64':
      case 'base64url':
        var plain = text.replace(/-/g, '+').replace(/_/g, '/');
        return new Buffer(global.atob(plain).split('').map(function (c) { return c.charCodeAt(0); }));
      case 'hex':
        var bytes = [];
        for (var i = 0; i + 1 < text.length; i += 2) bytes.push(parseInt(text.slice(i, i + 2), 16));
        return new Buffer(bytes);
      case 'binary':
      case 'latin1':
      case 'ascii':
        return new Buffer(text.split('').map(function (c) { return c.charCodeAt(0) & 255; }));
      default:
        return new Buffer(utf8(text));
    }
  };
  Buffer.isBuffer = function (value) {
    return value instanceof Buffer;
  };
  Buffer.prototype.toString = function (encoding) {
    switch (String(encoding || 'utf8').toLowerCase()) {
      case 'base64':
        return global.btoa(latin1(this.bytes));
      case 'base64url':
        return global.btoa(latin1(this.bytes)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
      case 'hex':
        return this.bytes
          .map(function (b) {
            return (b < 16 ? '0' : '') + b.toString(16);
          })
          .join('');
      case 'binary':
      case 'latin1':
      case 'ascii':
        return latin1(this.bytes);
      default:
        try {
          return decodeURIComponent(this.bytes.map(function (b) {
            return '%' + (b < 16 ? '0' : '') + b.toString(16);
          }).join(''));
        } catch (e) {
          return latin1(this.bytes);
        }
    }
  };
  global.Buffer = Buffer;

  // CryptoJS, as far as scripts sign with it: hashes and HMACs (MD5, SHA-1, SHA-2) over text or
  // word arrays, and the Hex, Base64, UTF-8 and Latin-1 encoders. A word array holds bytes.
  function WordArray(bytes) {
    this.bytes = bytes;
    this.sigBytes = bytes.length;
  }
  var Hex = {
    stringify: function (words) {
      return Buffer.prototype.toString.call({ bytes: words.bytes }, 'hex');
    },
    parse: function (text) {
      return new WordArray(Buffer.from(text, 'hex').bytes);
    },
  };
  var encoders = { Hex: Hex };
  ['Base64', 'Utf8', 'Latin1'].forEach(function (name) {
    var encoding = { Base64: 'base64', Utf8: 'utf8', Latin1: 'latin1' }[name];
    encoders[name] = {
      stringify: function (words) {
        return Buffer.prototype.toString.call({ bytes: words.bytes }, encoding);
      },
      parse: function (text) {
        return new WordArray(Buffer.from(String(text), encoding).bytes);
      },
    };
  });
  WordArray.prototype.toString = function (encoder) {
    return (encoder || Hex).stringify(this);
  };
  WordArray.prototype.concat = function (other) {
    this.bytes = this.bytes.concat(other.bytes);
    this.sigBytes = this.bytes.length;
    return this;
  };
  WordArray.prototype.clone = function () {
    return new WordArray(this.bytes.slice());
  };
  function wordsOf(value) {
    return value instanceof WordArray ? value.bytes : utf8(String(value));
  }
  function hexOf(bytes) {
    return Hex.stringify({ bytes: bytes });
  }
  var CryptoJS = {
    enc: encoders,
    lib: {
      WordArray: {
        create: function (bytes) {
          return new WordArray(Array.isArray(bytes) ? bytes.slice() : []);
        },
        random: function (count) {
          var bytes = [];
          for (var i = 0; i < count; i++) bytes.push(Math.floor(Math.random() * 256));
          return new WordArray(bytes);
        },
      },
    },
  };
  ['MD5', 'SHA1', 'SHA224', 'SHA256', 'SHA384', 'SHA512'].forEach(function (name) {
    CryptoJS[name] = function (message) {
      return Hex.parse(global.__digest(name, null, hexOf(wordsOf(message))));
    };
    CryptoJS['Hmac' + name] = function (message, key) {
      return Hex.parse(global.__digest(name, hexOf(wordsOf(key)), hexOf(wordsOf(message))));
    };
  });
  global.CryptoJS = CryptoJS;

  // The part of lodash (`_`) scripts use.
  function keyPath(at) {
    if (Array.isArray(at)) return at;
    return String(at).replace(/\[(\w+)\]/g, '.$1').split('.').filter(function (p) {
      return p !== '';
    });
  }
  function entries(collection) {
    if (collection === null || collection === undefined) return [];
    if (Array.isArray(collection) || typeof collection === 'string') {
      return Array.prototype.map.call(collection, function (v, i) {
        return [i, v];
      });
    }
    return Object.keys(collection).map(function (k) {
      return [k, collection[k]];
    });
  }
  function predicate(test) {
    if (typeof test === 'function') return test;
    if (typeof test === 'string') {
      return function (v) {
        return v !== null && v !== undefined && !!v[test];
      };
    }
    if (test && typeof test === 'object') {
      return function (v) {
        return v !== null && v !== undefined && Object.keys(test).every(function (k) {
          return v[k] === test[k];
        });
      };
    }
    return function (v) {
      return !!v;
    };
  }
  var lodash = {
    get: function (object, at, fallback) {
      var value = object;
      var parts = keyPath(at);
      for (var i = 0; i < parts.length; i++) {
        if (value === null || value === undefined) return fallback;
        value = value[parts[i]];
      }
      return value === undefined ? fallback : value;
    },
    has: function (object, at) {
      var value = object;
      var parts = keyPath(at);
      for (var i = 0; i < parts.length; i++) {
        if (value === null || value === undefined || !owns(Object(value), parts[i])) return false;
        value = value[parts[i]];
      }
      return parts.length > 0;
    },
    set: function (object, at, value) {
      var parts = keyPath(at);
      var here = object;
      parts.forEach(function (p, i) {
        if (i === parts.length - 1) here[p] = value;
        else here = here[p] = here[p] !== null && typeof here[p] === 'object' ? here[p] : {};
      });
      return object;
    },
    each: function (collection, f) {
      entries(collection).some(function (e) {
        return f(e[1], e[0], collection) === false;
      });
      return collection;
    },
    map: function (collection, f) {
      var g = typeof f === 'function' ? f : function (v) { return lodash.get(v, f); };
      return entries(collection).map(function (e) {
        return g(e[1], e[0], collection);
      });
    },
    filter: function (collection, test) {
      var p = predicate(test);
      return entries(collection).filter(function (e) { return p(e[1], e[0]); }).map(function (e) { return e[1]; });
    },
    find: function (collection, test) {
      var p = predicate(test);
      var found = entries(collection).find(function (e) { return p(e[1], e[0]); });
      return found ? found[1] : undefined;
    },
    findIndex: function (array, test) {
      return (array || []).findIndex(predicate(test));
    },
    some: function (collection, test) {
      var p = predicate(test);
      return entries(collection).some(function (e) { return p(e[1], e[0]); });
    },
    every: function (collection, test) {
      var p = predicate(test);
      return entries(collection).every(function (e) { return p(e[1], e[0]); });
    },
    includes: function (collection, value) {
      return entries(collection).some(function (e) { return e[1] === value; }) ||
        (typeof collection === 'string' && collection.indexOf(value) >= 0);
    },
    keys: function (object) {
      return object === null || object === undefined ? [] : Object.keys(object);
    },
    values: function (object) {
      return entries(object).map(function (e) { return e[1]; });
    },
    size: function (collection) {
      return entries(collection).length;
    },
    isEmpty: function (value) {
      if (value === null || value === undefined) return true;
      if (typeof value === 'string' || Array.isArray(value)) return value.length === 0;
      if (typeof value === 'object') return Object.keys(value).length === 0;
      return true;
    },
    isEqual: function (a, b) {
      return JSON.stringify(a) === JSON.stringify(b);
    },
    pick: function (object, keys) {
      var out = {};
      [].concat(keys).forEach(function (k) {
        if (object && owns(object, k)) out[k] = object[k];
      });
      return out;
    },
    omit: function (object, keys) {
      var drop = [].concat(keys);
      var out = {};
      lodash.keys(object).forEach(function (k) {
        if (drop.indexOf(k) < 0) out[k] = object[k];
      });
      return out;
    },
    uniq: function (array) {
      return (array || []).filter(function (v, i, all) { return all.indexOf(v) === i; });
    },
    first: function (array) {
      return array ? array[0] : undefined;
    },
    last: function (array) {
      return array ? array[array.length - 1] : undefined;
    },
    sortBy: function (collection, key) {
      var by = typeof key === 'function' ? key : function (v) { return lodash.get(v, key); };
      return lodash.values(collection).slice().sort(function (a, b) {
        var x = by(a), y = by(b);
        return x < y ? -1 : x > y ? 1 : 0;
      });
    },
    random: function (low, high) {
      if (high === undefined) { high = low === undefined ? 1 : low; low = 0; }
      return low + Math.floor(Math.random() * (high - low + 1));
    },
    sample: function (collection) {
      var all = lodash.values(collection);
      return all[Math.floor(Math.random() * all.length)];
    },
    times: function (n, f) {
      var out = [];
      for (var i = 0; i < n; i++) out.push(f ? f(i) : i);
      return out;
    },
    range: function (start, end) {
      if (end === undefined) { end = start; start = 0; }
      var out = [];
      for (var i = start; i < end; i++) out.push(i);
      return out;
    },
    cloneDeep: function (value) {
      return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
    },
    assign: Object.assign,
    merge: function (target) {
      Array.prototype.slice.call(arguments, 1).forEach(function (source) {
        lodash.keys(source).forEach(function (k) {
          var both = target[k] && source[k] && typeof target[k] === 'object' && typeof source[k] === 'object';
          target[k] = both ? lodash.merge(target[k], source[k]) : source[k];
        });
      });
      return target;
    },
    isString: function (v) { return typeof v === 'string'; },
    isNumber: function (v) { return typeof v === 'number'; },
    isBoolean: function (v) { return typeof v === 'boolean'; },
    isFunction: function (v) { return typeof v === 'function'; },
    isArray: Array.isArray,
    isObject: function (v) { return v !== null && (typeof v === 'object' || typeof v === 'function'); },
    isPlainObject: function (v) { return v !== null && typeof v === 'object' && !Array.isArray(v); },
    isNil: function (v) { return v === null || v === undefined; },
    isNull: function (v) { return v === null; },
    isUndefined: function (v) { return v === undefined; },
    trim: function (s) { return String(s === undefined || s === null ? '' : s).trim(); },
    startsWith: function (s, p) { return String(s).indexOf(p) === 0; },
    endsWith: function (s, p) { s = String(s); return s.slice(s.length - String(p).length) === String(p); },
    capitalize: function (s) { s = String(s).toLowerCase(); return s.charAt(0).toUpperCase() + s.slice(1); },
    toString: function (v) { return v === null || v === undefined ? '' : String(v); },
    mixin: function (functions) {
      Object.keys(functions || {}).forEach(function (k) { lodash[k] = functions[k]; });
      return lodash;
    },
  };
  lodash.forEach = lodash.each;
  lodash.head = lodash.first;
  lodash.contains = lodash.includes;
  global._ = lodash;

  // moment, as far as scripts compute dates with it: parsing, `add`/`subtract`, `startOf`,
  // comparisons, `diff`, and `format` with the usual tokens; local time unless `utc()`.
  var units = {
    y: 'FullYear', year: 'FullYear', years: 'FullYear',
    M: 'Month', month: 'Month', months: 'Month',
    w: 'Week', week: 'Week', weeks: 'Week',
    d: 'Date', day: 'Date', days: 'Date',
    h: 'Hours', hour: 'Hours', hours: 'Hours',
    m: 'Minutes', minute: 'Minutes', minutes: 'Minutes',
    s: 'Seconds', second: 'Seconds', seconds: 'Seconds',
    ms: 'Milliseconds', millisecond: 'Milliseconds', milliseconds: 'Milliseconds',
  };
  function Moment(date, utc) {
    this.date = date;
    this.isUtc = !!utc;
  }
  function pad(n, width) {
    var out = String(Math.abs(n));
    while (out.length < width) out = '0' + out;
    return (n < 0 ? '-' : '') + out;
  }
  Moment.prototype.get = function (field) {
    return this.date[(this.isUtc ? 'getUTC' : 'get') + field]();
  };
  Moment.prototype.shift = function (amount, unit) {
    var field = units[unit] || units[String(unit).toLowerCase()] || 'Milliseconds';
    var date = new Date(this.date.getTime());
    var prefix = this.isUtc ? 'UTC' : '';
    if (field === 'Week') {
      field = 'Date';
      amount *= 7;
    }
    if (field === 'Month' || field === 'FullYear') {
      // The day stays, or becomes the month's last (Jan 31 + 1 month is Feb 29 or 28).
      var day = date['get' + prefix + 'Date']();
      date['set' + prefix + 'Date'](1);
      date['set' + prefix + field](date['get' + prefix + field]() + Number(amount));
      var last = new Date(date.getTime());
      last['set' + prefix + 'Month'](last['get' + prefix + 'Month']() + 1, 0);
      date['set' + prefix + 'Date'](Math.min(day, last['get' + prefix + 'Date']()));
    } else {
      date['set' + prefix + field](date['get' + prefix + field]() + Number(amount));
    }
    return new Moment(date, this.isUtc);
  };
  Moment.prototype.add = function (amount, unit) {
    return typeof amount === 'object' && amount !== null
      ? Object.keys(amount).reduce(function (m, k) { return m.shift(amount[k], k); }, this)
      : this.shift(amount, unit);
  };
  Moment.prototype.subtract = function (amount, unit) {
    return typeof amount === 'object' && amount !== null
      ? Object.keys(amount).reduce(function (m, k) { return m.shift(-amount[k], k); }, this)
      : this.shift(-amount, unit);
  };
  Moment.prototype.startOf = function (unit) {
    if (unit === 'week' || unit === 'isoWeek') {
      var back = (this.get('Day') + (unit === 'isoWeek' ? 6 : 0)) % 7;
      return this.shift(-back, 'days').startOf('day');
    }
    var order = ['FullYear', 'Month', 'Date', 'Hours', 'Minutes', 'Seconds', 'Milliseconds'];
    var keep = order.indexOf(units[unit] || units[String(unit).toLowerCase()]);
    if (keep < 0) return new Moment(new Date(this.date.getTime()), this.isUtc);
    var date = new Date(this.date.getTime());
    var prefix = this.isUtc ? 'UTC' : '';
    order.slice(keep + 1).forEach(function (field) {
      date['set' + prefix + field](field === 'Date' ? 1 : 0);
    });
    return new Moment(date, this.isUtc);
  };
  Moment.prototype.utc = function () {
    return new Moment(this.date, true);
  };
  Moment.prototype.local = function () {
    return new Moment(this.date, false);
  };
  Moment.prototype.valueOf = function () {
    return this.date.getTime();
  };
  Moment.prototype.unix = function () {
    return Math.floor(this.date.getTime() / 1000);
  };
  Moment.prototype.toDate = function () {
    return new Date(this.date.getTime());
  };
  Moment.prototype.toISOString = function () {
    return this.date.toISOString();
  };
  Moment.prototype.toJSON = Moment.prototype.toISOString;
  Moment.prototype.isValid = function () {
    return !isNaN(this.date.getTime());
  };
  Moment.prototype.isBefore = function (other) {
    return this.valueOf() < moment(other).valueOf();
  };
  Moment.prototype.isAfter = function (other) {
    return this.valueOf() > moment(other).valueOf();
  };
  Moment.prototype.isSame = function (other) {
    return this.valueOf() === moment(other).valueOf();
  };
  Moment.prototype.diff = function (other, unit) {
    var ms = this.valueOf() - moment(other).valueOf();
    var per = { Week: 6048e5, Date: 864e5, Hours: 36e5, Minutes: 6e4, Seconds: 1e3 }[units[unit]];
    if (units[unit] === 'FullYear' || units[unit] === 'Month') {
      var from = moment(other);
      var months = (this.get('FullYear') - from.get('FullYear')) * 12 +
        this.get('Month') - from.get('Month');
      // Whole months only: Feb 1 is not a month after Jan 31.
      var anchor = from.add(months, 'months').valueOf();
      if (months > 0 && anchor > this.valueOf()) months--;
      if (months < 0 && anchor < this.valueOf()) months++;
      return units[unit] === 'Month' ? months : Math.trunc(months / 12);
    }
    return Math.trunc(ms / (per || 1));
  };
  Moment.prototype.format = function (pattern) {
    var self = this;
    var offset = this.isUtc ? 0 : -this.date.getTimezoneOffset();
    var zone = function (colon) {
      return (offset < 0 ? '-' : '+') + pad(Math.floor(Math.abs(offset) / 60), 2) + (colon ? ':' : '') +
        pad(Math.abs(offset) % 60, 2);
    };
    var hours = this.get('Hours');
    var monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
      'September', 'October', 'November', 'December'];
    var dayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
    var tokens = {
      MMMM: function () { return monthNames[self.get('Month')]; },
      MMM: function () { return monthNames[self.get('Month')].slice(0, 3); },
      dddd: function () { return dayNames[self.get('Day')]; },
      ddd: function () { return dayNames[self.get('Day')].slice(0, 3); },
      Do: function () {
        var d = self.get('Date');
        var suffix = d % 10 === 1 && d !== 11 ? 'st' : d % 10 === 2 && d !== 12 ? 'nd' :
          d % 10 === 3 && d !== 13 ? 'rd' : 'th';
        return d + suffix;
      },
      YYYY: function () { return pad(self.get('FullYear'), 4); },
      YY: function () { return pad(self.get('FullYear') % 100, 2); },
      MM: function () { return pad(self.get('Month') + 1, 2); },
      M: function () { return String(self.get('Month') + 1); },
      DD: function () { return pad(self.get('Date'), 2); },
      D: function () { return String(self.get('Date')); },
      HH: function () { return pad(hours, 2); },
      H: function () { return String(hours); },
      hh: function () { return pad(hours % 12 || 12, 2); },
      h: function () { return String(hours % 12 || 12); },
      mm: function () { return pad(self.get('Minutes'), 2); },
      m: function () { return String(self.get('Minutes')); },
      ss: function () { return pad(self.get('Seconds'), 2); },
      s: function () { return String(self.get('Seconds')); },
      SSS: function () { return pad(self.get('Milliseconds'), 3); },
      A: function () { return hours < 12 ? 'AM' : 'PM'; },
      a: function () { return hours < 12 ? 'am' : 'pm'; },
      ZZ: function () { return zone(false); },
      Z: function () { return self.isUtc && pattern === undefined ? 'Z' : zone(true); },
      X: function () { return String(self.unix()); },
      x: function () { return String(self.valueOf()); },
    };
    var text = pattern === undefined ? 'YYYY-MM-DDTHH:mm:ssZ' : String(pattern);
    return text.replace(
      /\[([^\]]*)\]|YYYY|YY|SSS|MMMM|MMM|MM|M|Do|DD|D|dddd|ddd|HH|H|hh|h|mm|m|ss|s|A|a|ZZ|Z|X|x/g,
      function (token, escaped) {
        return escaped !== undefined ? escaped : tokens[token]();
      });
  };
  Moment.prototype.toString = function () {
    return this.date.toString();
  };
  // A date alone (`2024-01-31`) is midnight local time, or UTC for `moment.utc`, as moment
  // reads it (JavaScript's `Date` reads it as UTC).
  function parse(input, utc) {
    if (input === undefined) return new Date();
    if (input instanceof Date) return new Date(input.getTime());
    if (input instanceof Moment) return new Date(input.valueOf());
    var day = typeof input === 'string' && /^(\d{4})-(\d{2})-(\d{2})$/.exec(input);
    if (day) {
      return utc
        ? new Date(Date.UTC(+day[1], day[2] - 1, +day[3]))
        : new Date(+day[1], day[2] - 1, +day[3]);
    }
    return new Date(input);
  }
  function moment(input) {
    return new Moment(parse(input, false), input instanceof Moment && input.isUtc);
  }
  moment.utc = function (input) {
    return new Moment(parse(input, true), true);
  };
  moment.unix = function (seconds) {
    return moment(Number(seconds) * 1000);
  };
  moment.isMoment = function (value) {
    return value instanceof Moment;
  };
  global.moment = moment;

  // SugarJS's `String#has`, which Postman's legacy snippets use (`responseBody.has("id")`).
  if (!String.prototype.has) {
    Object.defineProperty(String.prototype, 'has', {
      value: function (find) {
        return find instanceof RegExp ? find.test(this) : this.indexOf(String(find)) >= 0;
      },
    });
  }

  // The libraries `require` gives: those the sandbox has.
  var libraries = {
    uuid: { v4: uuid },
    lodash: lodash,
    'crypto-js': CryptoJS,
    moment: moment,
    atob: global.atob,
    btoa: global.btoa,
    buffer: { Buffer: Buffer },
    // The part of Postman's own SDK scripts use: query strings to pairs and back.
    'postman-collection': {
      QueryParam: {
        parse: function (text) {
          return String(text || '')
            .split('&')
            .filter(function (part) {
              return part !== '';
            })
            .map(function (part) {
              var at = part.indexOf('=');
              return at < 0
                ? { key: part, value: null }
                : { key: part.slice(0, at), value: part.slice(at + 1) };
            });
        },
        unparse: function (params) {
          return [].concat(params || [])
            .map(function (p) {
              return p.value === null || p.value === undefined ? p.key : p.key + '=' + p.value;
            })
            .join('&');
        },
      },
    },
  };

  return {
    run: function (source) {
      try {
        // A script may `await` at its top level, as Postman's may.
        var body = /\bawait\b/.test(source)
          ? new (Object.getPrototypeOf(async function () {}).constructor)(source)
          : new Function(source);
        var done = body.call(global);
        if (done instanceof Promise) done.catch(caught);
      } catch (e) {
        caught(e);
      }
      settle();
    },
    settle: settle,
    record: function () {
      // What the script did to the request's method and URL.
      if (state.listen === 'prerequest') {
        if (pmRequest.method !== request.method) {
          ops.push(['method', String(pmRequest.method).toUpperCase()]);
        }
        if (pmRequest.url !== url) {
          ops.push(['url', replaceIn(String(pmRequest.url))]);
        } else if (Array.isArray(url.path) && url.path.join('/') !== writtenPath.join('/')) {
          ops.push(['path', writtenPath, url.path.map(function (segment) {
            return replaceIn(text(segment));
          })]);
        }
      }
      return JSON.stringify({ ops: ops, error: error, requests: requests });
    },
  };
})(this);
