// The part of Postman's script sandbox that collection scripts use, over `__state` (the
// variables, the request and the response, set before this runs). What a script does to
// variables and to the request is recorded in order, for the client to apply; assertions,
// logging and flow control do nothing. `__run(source)` runs one script and returns the record
// as JSON: `{ops, error}`.
var __run = (function (global) {
  'use strict';
  var state = global.__state;
  var ops = [];
  var timers = [];

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

  // Anything read off an assertion (`pm.expect(x).to.have.property('id')`) is another one.
  var chain = new Proxy(function () {}, {
    get: function (target, key) {
      return typeof key === 'symbol' ? undefined : chain;
    },
    apply: function () {
      return chain;
    },
  });

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
  var path = request.path.split('/').filter(function (segment) {
    return segment !== '';
  });
  var query = list([], 'query');
  var url = {
    path: path,
    query: query,
    host: [],
    getPath: function () {
      return '/' + path.join('/');
    },
    toString: function () {
      return request.path;
    },
  };
  var pmRequest = {
    method: request.method,
    url: url,
    headers: list([], 'header'),
    to: chain,
  };
  pmRequest.addHeader = pmRequest.headers.add;
  pmRequest.removeHeader = pmRequest.headers.remove;

  var response = null;
  if (state.response) {
    var raw = state.response;
    var headers = list(raw.headers, 'response');
    response = {
      code: raw.code,
      status: raw.status,
      responseTime: 0,
      responseSize: raw.body.length,
      headers: headers,
      text: function () {
        return raw.body;
      },
      json: function () {
        return JSON.parse(raw.body);
      },
      to: chain,
    };
    global.responseBody = raw.body;
    global.responseCode = { code: raw.code, name: raw.status, detail: raw.status };
    global.responseHeaders = headers.toObject();
    global.responseTime = 0;
  }

  var test = function (name, f) {
    try {
      if (typeof f === 'function') f();
    } catch (e) {
      // A failed check fails the test, not the script.
    }
  };
  test.skip = function () {};
  var expect = function () {
    return chain;
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
    // The request is not sent and its callback never runs; the script goes on, as it does
    // in Postman while the request is under way.
    sendRequest: function () {},
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
    if (name === 'uuid') return { v4: uuid };
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

  return function (source) {
    var error = null;
    try {
      new Function(source).call(global);
      timers.forEach(function (f) {
        f();
      });
    } catch (e) {
      var unavailable = e instanceof Unavailable;
      var message = e !== null && typeof e === 'object' && 'message' in e ? String(e.message) : String(e);
      var name = e !== null && typeof e === 'object' && 'name' in e ? String(e.name) : 'thrown';
      error = { name: name, message: message, unavailable: unavailable };
    }
    return JSON.stringify({ ops: ops, error: error });
  };
})(this);
