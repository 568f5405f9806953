import { createRequire as __ccCreateRequire } from 'node:module'; const require = __ccCreateRequire(import.meta.url);
import {
  DEFAULT_CACHE_DIR,
  TestMetrics,
  differenceInterval,
  parseRunResult,
  tInterval,
  wilsonInterval
} from "./chunk-7BFTRFSG.js";
import {
  BUILTIN_BACKBONES,
  DecodeError,
  HOG,
  SMALL_CNN,
  decodeToRgb
} from "./chunk-O4E5JHB5.js";
import {
  InputError,
  explainWriteError
} from "./chunk-U2O33TCJ.js";
import {
  __commonJS,
  __require,
  __toESM
} from "./chunk-MS7UHTHQ.js";

// node_modules/@protobufjs/aspromise/index.js
var require_aspromise = __commonJS({
  "node_modules/@protobufjs/aspromise/index.js"(exports, module) {
    "use strict";
    module.exports = asPromise;
    function asPromise(fn, ctx) {
      var params = new Array(arguments.length - 1), offset = 0, index = 2, pending = true;
      while (index < arguments.length)
        params[offset++] = arguments[index++];
      return new Promise(function executor(resolve, reject) {
        params[offset] = function callback(err) {
          if (pending) {
            pending = false;
            if (err)
              reject(err);
            else {
              var params2 = new Array(arguments.length - 1), offset2 = 0;
              while (offset2 < params2.length)
                params2[offset2++] = arguments[offset2];
              resolve.apply(null, params2);
            }
          }
        };
        try {
          fn.apply(ctx || null, params);
        } catch (err) {
          if (pending) {
            pending = false;
            reject(err);
          }
        }
      });
    }
  }
});

// node_modules/@protobufjs/base64/index.js
var require_base64 = __commonJS({
  "node_modules/@protobufjs/base64/index.js"(exports) {
    "use strict";
    var base64 = exports;
    base64.length = function length(string) {
      var p = string.length;
      if (!p)
        return 0;
      var n = 0;
      while (--p % 4 > 1 && string.charAt(p) === "=")
        ++n;
      return Math.ceil(string.length * 3) / 4 - n;
    };
    var b64 = new Array(64);
    var s64 = new Array(123);
    for (i = 0; i < 64; )
      s64[b64[i] = i < 26 ? i + 65 : i < 52 ? i + 71 : i < 62 ? i - 4 : i - 59 | 43] = i++;
    var i;
    base64.encode = function encode(buffer, start, end) {
      var parts = null, chunk = [];
      var i2 = 0, j = 0, t;
      while (start < end) {
        var b = buffer[start++];
        switch (j) {
          case 0:
            chunk[i2++] = b64[b >> 2];
            t = (b & 3) << 4;
            j = 1;
            break;
          case 1:
            chunk[i2++] = b64[t | b >> 4];
            t = (b & 15) << 2;
            j = 2;
            break;
          case 2:
            chunk[i2++] = b64[t | b >> 6];
            chunk[i2++] = b64[b & 63];
            j = 0;
            break;
        }
        if (i2 > 8191) {
          (parts || (parts = [])).push(String.fromCharCode.apply(String, chunk));
          i2 = 0;
        }
      }
      if (j) {
        chunk[i2++] = b64[t];
        chunk[i2++] = 61;
        if (j === 1)
          chunk[i2++] = 61;
      }
      if (parts) {
        if (i2)
          parts.push(String.fromCharCode.apply(String, chunk.slice(0, i2)));
        return parts.join("");
      }
      return String.fromCharCode.apply(String, chunk.slice(0, i2));
    };
    var invalidEncoding = "invalid encoding";
    base64.decode = function decode(string, buffer, offset) {
      var start = offset;
      var j = 0, t;
      for (var i2 = 0; i2 < string.length; ) {
        var c = string.charCodeAt(i2++);
        if (c === 61 && j > 1)
          break;
        if ((c = s64[c]) === void 0)
          throw Error(invalidEncoding);
        switch (j) {
          case 0:
            t = c;
            j = 1;
            break;
          case 1:
            buffer[offset++] = t << 2 | (c & 48) >> 4;
            t = c;
            j = 2;
            break;
          case 2:
            buffer[offset++] = (t & 15) << 4 | (c & 60) >> 2;
            t = c;
            j = 3;
            break;
          case 3:
            buffer[offset++] = (t & 3) << 6 | c;
            j = 0;
            break;
        }
      }
      if (j === 1)
        throw Error(invalidEncoding);
      return offset - start;
    };
    base64.test = function test(string) {
      return /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(string);
    };
  }
});

// node_modules/@protobufjs/eventemitter/index.js
var require_eventemitter = __commonJS({
  "node_modules/@protobufjs/eventemitter/index.js"(exports, module) {
    "use strict";
    module.exports = EventEmitter;
    function EventEmitter() {
      this._listeners = /* @__PURE__ */ Object.create(null);
    }
    EventEmitter.prototype.on = function on(evt, fn, ctx) {
      (this._listeners[evt] || (this._listeners[evt] = [])).push({
        fn,
        ctx: ctx || this
      });
      return this;
    };
    EventEmitter.prototype.off = function off(evt, fn) {
      if (evt === void 0)
        this._listeners = /* @__PURE__ */ Object.create(null);
      else {
        if (fn === void 0)
          this._listeners[evt] = [];
        else {
          var listeners = this._listeners[evt];
          if (!listeners)
            return this;
          for (var i = 0; i < listeners.length; )
            if (listeners[i].fn === fn)
              listeners.splice(i, 1);
            else
              ++i;
        }
      }
      return this;
    };
    EventEmitter.prototype.emit = function emit(evt) {
      var listeners = this._listeners[evt];
      if (listeners) {
        var args = [], i = 1;
        for (; i < arguments.length; )
          args.push(arguments[i++]);
        for (i = 0; i < listeners.length; )
          listeners[i].fn.apply(listeners[i++].ctx, args);
      }
      return this;
    };
  }
});

// node_modules/@protobufjs/float/index.js
var require_float = __commonJS({
  "node_modules/@protobufjs/float/index.js"(exports, module) {
    "use strict";
    module.exports = factory(factory);
    function factory(exports2) {
      if (typeof Float32Array !== "undefined") (function() {
        var f32 = new Float32Array([-0]), f8b = new Uint8Array(f32.buffer), le = f8b[3] === 128;
        function writeFloat_f32_cpy(val, buf, pos) {
          f32[0] = val;
          buf[pos] = f8b[0];
          buf[pos + 1] = f8b[1];
          buf[pos + 2] = f8b[2];
          buf[pos + 3] = f8b[3];
        }
        function writeFloat_f32_rev(val, buf, pos) {
          f32[0] = val;
          buf[pos] = f8b[3];
          buf[pos + 1] = f8b[2];
          buf[pos + 2] = f8b[1];
          buf[pos + 3] = f8b[0];
        }
        exports2.writeFloatLE = le ? writeFloat_f32_cpy : writeFloat_f32_rev;
        exports2.writeFloatBE = le ? writeFloat_f32_rev : writeFloat_f32_cpy;
        function readFloat_f32_cpy(buf, pos) {
          f8b[0] = buf[pos];
          f8b[1] = buf[pos + 1];
          f8b[2] = buf[pos + 2];
          f8b[3] = buf[pos + 3];
          return f32[0];
        }
        function readFloat_f32_rev(buf, pos) {
          f8b[3] = buf[pos];
          f8b[2] = buf[pos + 1];
          f8b[1] = buf[pos + 2];
          f8b[0] = buf[pos + 3];
          return f32[0];
        }
        exports2.readFloatLE = le ? readFloat_f32_cpy : readFloat_f32_rev;
        exports2.readFloatBE = le ? readFloat_f32_rev : readFloat_f32_cpy;
      })();
      else (function() {
        function writeFloat_ieee754(writeUint, val, buf, pos) {
          var sign = val < 0 ? 1 : 0;
          if (sign)
            val = -val;
          if (val === 0)
            writeUint(1 / val > 0 ? (
              /* positive */
              0
            ) : (
              /* negative 0 */
              2147483648
            ), buf, pos);
          else if (isNaN(val))
            writeUint(2143289344, buf, pos);
          else if (val > 34028234663852886e22)
            writeUint((sign << 31 | 2139095040) >>> 0, buf, pos);
          else if (val < 11754943508222875e-54)
            writeUint((sign << 31 | Math.round(val / 1401298464324817e-60)) >>> 0, buf, pos);
          else {
            var exponent = Math.floor(Math.log(val) / Math.LN2), mantissa = Math.round(val * Math.pow(2, -exponent) * 8388608) & 8388607;
            writeUint((sign << 31 | exponent + 127 << 23 | mantissa) >>> 0, buf, pos);
          }
        }
        exports2.writeFloatLE = writeFloat_ieee754.bind(null, writeUintLE);
        exports2.writeFloatBE = writeFloat_ieee754.bind(null, writeUintBE);
        function readFloat_ieee754(readUint, buf, pos) {
          var uint = readUint(buf, pos), sign = (uint >> 31) * 2 + 1, exponent = uint >>> 23 & 255, mantissa = uint & 8388607;
          return exponent === 255 ? mantissa ? NaN : sign * Infinity : exponent === 0 ? sign * 1401298464324817e-60 * mantissa : sign * Math.pow(2, exponent - 150) * (mantissa + 8388608);
        }
        exports2.readFloatLE = readFloat_ieee754.bind(null, readUintLE);
        exports2.readFloatBE = readFloat_ieee754.bind(null, readUintBE);
      })();
      if (typeof Float64Array !== "undefined") (function() {
        var f64 = new Float64Array([-0]), f8b = new Uint8Array(f64.buffer), le = f8b[7] === 128;
        function writeDouble_f64_cpy(val, buf, pos) {
          f64[0] = val;
          buf[pos] = f8b[0];
          buf[pos + 1] = f8b[1];
          buf[pos + 2] = f8b[2];
          buf[pos + 3] = f8b[3];
          buf[pos + 4] = f8b[4];
          buf[pos + 5] = f8b[5];
          buf[pos + 6] = f8b[6];
          buf[pos + 7] = f8b[7];
        }
        function writeDouble_f64_rev(val, buf, pos) {
          f64[0] = val;
          buf[pos] = f8b[7];
          buf[pos + 1] = f8b[6];
          buf[pos + 2] = f8b[5];
          buf[pos + 3] = f8b[4];
          buf[pos + 4] = f8b[3];
          buf[pos + 5] = f8b[2];
          buf[pos + 6] = f8b[1];
          buf[pos + 7] = f8b[0];
        }
        exports2.writeDoubleLE = le ? writeDouble_f64_cpy : writeDouble_f64_rev;
        exports2.writeDoubleBE = le ? writeDouble_f64_rev : writeDouble_f64_cpy;
        function readDouble_f64_cpy(buf, pos) {
          f8b[0] = buf[pos];
          f8b[1] = buf[pos + 1];
          f8b[2] = buf[pos + 2];
          f8b[3] = buf[pos + 3];
          f8b[4] = buf[pos + 4];
          f8b[5] = buf[pos + 5];
          f8b[6] = buf[pos + 6];
          f8b[7] = buf[pos + 7];
          return f64[0];
        }
        function readDouble_f64_rev(buf, pos) {
          f8b[7] = buf[pos];
          f8b[6] = buf[pos + 1];
          f8b[5] = buf[pos + 2];
          f8b[4] = buf[pos + 3];
          f8b[3] = buf[pos + 4];
          f8b[2] = buf[pos + 5];
          f8b[1] = buf[pos + 6];
          f8b[0] = buf[pos + 7];
          return f64[0];
        }
        exports2.readDoubleLE = le ? readDouble_f64_cpy : readDouble_f64_rev;
        exports2.readDoubleBE = le ? readDouble_f64_rev : readDouble_f64_cpy;
      })();
      else (function() {
        function writeDouble_ieee754(writeUint, off0, off1, val, buf, pos) {
          var sign = val < 0 ? 1 : 0;
          if (sign)
            val = -val;
          if (val === 0) {
            writeUint(0, buf, pos + off0);
            writeUint(1 / val > 0 ? (
              /* positive */
              0
            ) : (
              /* negative 0 */
              2147483648
            ), buf, pos + off1);
          } else if (isNaN(val)) {
            writeUint(0, buf, pos + off0);
            writeUint(2146959360, buf, pos + off1);
          } else if (val > 17976931348623157e292) {
            writeUint(0, buf, pos + off0);
            writeUint((sign << 31 | 2146435072) >>> 0, buf, pos + off1);
          } else {
            var mantissa;
            if (val < 22250738585072014e-324) {
              mantissa = val / 5e-324;
              writeUint(mantissa >>> 0, buf, pos + off0);
              writeUint((sign << 31 | mantissa / 4294967296) >>> 0, buf, pos + off1);
            } else {
              var exponent = Math.floor(Math.log(val) / Math.LN2);
              if (exponent === 1024)
                exponent = 1023;
              mantissa = val * Math.pow(2, -exponent);
              writeUint(mantissa * 4503599627370496 >>> 0, buf, pos + off0);
              writeUint((sign << 31 | exponent + 1023 << 20 | mantissa * 1048576 & 1048575) >>> 0, buf, pos + off1);
            }
          }
        }
        exports2.writeDoubleLE = writeDouble_ieee754.bind(null, writeUintLE, 0, 4);
        exports2.writeDoubleBE = writeDouble_ieee754.bind(null, writeUintBE, 4, 0);
        function readDouble_ieee754(readUint, off0, off1, buf, pos) {
          var lo = readUint(buf, pos + off0), hi = readUint(buf, pos + off1);
          var sign = (hi >> 31) * 2 + 1, exponent = hi >>> 20 & 2047, mantissa = 4294967296 * (hi & 1048575) + lo;
          return exponent === 2047 ? mantissa ? NaN : sign * Infinity : exponent === 0 ? sign * 5e-324 * mantissa : sign * Math.pow(2, exponent - 1075) * (mantissa + 4503599627370496);
        }
        exports2.readDoubleLE = readDouble_ieee754.bind(null, readUintLE, 0, 4);
        exports2.readDoubleBE = readDouble_ieee754.bind(null, readUintBE, 4, 0);
      })();
      return exports2;
    }
    function writeUintLE(val, buf, pos) {
      buf[pos] = val & 255;
      buf[pos + 1] = val >>> 8 & 255;
      buf[pos + 2] = val >>> 16 & 255;
      buf[pos + 3] = val >>> 24;
    }
    function writeUintBE(val, buf, pos) {
      buf[pos] = val >>> 24;
      buf[pos + 1] = val >>> 16 & 255;
      buf[pos + 2] = val >>> 8 & 255;
      buf[pos + 3] = val & 255;
    }
    function readUintLE(buf, pos) {
      return (buf[pos] | buf[pos + 1] << 8 | buf[pos + 2] << 16 | buf[pos + 3] << 24) >>> 0;
    }
    function readUintBE(buf, pos) {
      return (buf[pos] << 24 | buf[pos + 1] << 16 | buf[pos + 2] << 8 | buf[pos + 3]) >>> 0;
    }
  }
});

// node_modules/@protobufjs/inquire/index.js
var require_inquire = __commonJS({
  "node_modules/@protobufjs/inquire/index.js"(exports, module) {
    "use strict";
    module.exports = inquire;
    function inquire(moduleName) {
      try {
        if (typeof __require !== "function") {
          return null;
        }
        var mod = __require(moduleName);
        if (mod && (mod.length || Object.keys(mod).length)) return mod;
        return null;
      } catch (err) {
        return null;
      }
    }
  }
});

// node_modules/@protobufjs/utf8/index.js
var require_utf8 = __commonJS({
  "node_modules/@protobufjs/utf8/index.js"(exports) {
    "use strict";
    var utf8 = exports;
    var replacementCharCode = 65533;
    utf8.length = function utf8_length(string) {
      var len = 0, c = 0;
      for (var i = 0; i < string.length; ++i) {
        c = string.charCodeAt(i);
        if (c < 128)
          len += 1;
        else if (c < 2048)
          len += 2;
        else if ((c & 64512) === 55296 && (string.charCodeAt(i + 1) & 64512) === 56320) {
          ++i;
          len += 4;
        } else
          len += 3;
      }
      return len;
    };
    utf8.read = function utf8_read(buffer, start, end) {
      if (end - start < 1)
        return "";
      var parts = null, chunk = [], i = 0, t, t2, c2, c3;
      while (start < end) {
        t = buffer[start++];
        if (t <= 127) {
          chunk[i++] = t;
        } else if (t >= 192 && t < 224) {
          c2 = (t & 31) << 6 | buffer[start++] & 63;
          chunk[i++] = c2 >= 128 ? c2 : replacementCharCode;
        } else if (t >= 224 && t < 240) {
          c3 = (t & 15) << 12 | (buffer[start++] & 63) << 6 | buffer[start++] & 63;
          chunk[i++] = c3 >= 2048 ? c3 : replacementCharCode;
        } else if (t >= 240) {
          t2 = (t & 7) << 18 | (buffer[start++] & 63) << 12 | (buffer[start++] & 63) << 6 | buffer[start++] & 63;
          if (t2 < 65536 || t2 > 1114111)
            chunk[i++] = replacementCharCode;
          else {
            t2 -= 65536;
            chunk[i++] = 55296 + (t2 >> 10);
            chunk[i++] = 56320 + (t2 & 1023);
          }
        }
        if (i > 8191) {
          (parts || (parts = [])).push(String.fromCharCode.apply(String, chunk.slice(0, i)));
          i = 0;
        }
      }
      if (parts) {
        if (i)
          parts.push(String.fromCharCode.apply(String, chunk.slice(0, i)));
        return parts.join("");
      }
      return String.fromCharCode.apply(String, chunk.slice(0, i));
    };
    utf8.write = function utf8_write(string, buffer, offset) {
      var start = offset, c1, c2;
      for (var i = 0; i < string.length; ++i) {
        c1 = string.charCodeAt(i);
        if (c1 < 128) {
          buffer[offset++] = c1;
        } else if (c1 < 2048) {
          buffer[offset++] = c1 >> 6 | 192;
          buffer[offset++] = c1 & 63 | 128;
        } else if ((c1 & 64512) === 55296 && ((c2 = string.charCodeAt(i + 1)) & 64512) === 56320) {
          c1 = 65536 + ((c1 & 1023) << 10) + (c2 & 1023);
          ++i;
          buffer[offset++] = c1 >> 18 | 240;
          buffer[offset++] = c1 >> 12 & 63 | 128;
          buffer[offset++] = c1 >> 6 & 63 | 128;
          buffer[offset++] = c1 & 63 | 128;
        } else {
          buffer[offset++] = c1 >> 12 | 224;
          buffer[offset++] = c1 >> 6 & 63 | 128;
          buffer[offset++] = c1 & 63 | 128;
        }
      }
      return offset - start;
    };
  }
});

// node_modules/@protobufjs/pool/index.js
var require_pool = __commonJS({
  "node_modules/@protobufjs/pool/index.js"(exports, module) {
    "use strict";
    module.exports = pool;
    function pool(alloc, slice, size3) {
      var SIZE = size3 || 8192;
      var MAX = SIZE >>> 1;
      var slab = null;
      var offset = SIZE;
      return function pool_alloc(size4) {
        if (size4 < 1 || size4 > MAX)
          return alloc(size4);
        if (offset + size4 > SIZE) {
          slab = alloc(SIZE);
          offset = 0;
        }
        var buf = slice.call(slab, offset, offset += size4);
        if (offset & 7)
          offset = (offset | 7) + 1;
        return buf;
      };
    }
  }
});

// node_modules/protobufjs/src/util/longbits.js
var require_longbits = __commonJS({
  "node_modules/protobufjs/src/util/longbits.js"(exports, module) {
    "use strict";
    module.exports = LongBits;
    var util = require_minimal();
    function LongBits(lo, hi) {
      this.lo = lo >>> 0;
      this.hi = hi >>> 0;
    }
    var zero = LongBits.zero = new LongBits(0, 0);
    zero.toNumber = function() {
      return 0;
    };
    zero.zzEncode = zero.zzDecode = function() {
      return this;
    };
    zero.length = function() {
      return 1;
    };
    var zeroHash = LongBits.zeroHash = "\0\0\0\0\0\0\0\0";
    LongBits.fromNumber = function fromNumber(value) {
      if (value === 0)
        return zero;
      var sign = value < 0;
      if (sign)
        value = -value;
      var lo = value >>> 0, hi = (value - lo) / 4294967296 >>> 0;
      if (sign) {
        hi = ~hi >>> 0;
        lo = ~lo >>> 0;
        if (++lo > 4294967295) {
          lo = 0;
          if (++hi > 4294967295)
            hi = 0;
        }
      }
      return new LongBits(lo, hi);
    };
    LongBits.from = function from(value) {
      if (typeof value === "number")
        return LongBits.fromNumber(value);
      if (util.isString(value)) {
        if (util.Long)
          value = util.Long.fromString(value);
        else
          return LongBits.fromNumber(parseInt(value, 10));
      }
      return value.low || value.high ? new LongBits(value.low >>> 0, value.high >>> 0) : zero;
    };
    LongBits.prototype.toNumber = function toNumber(unsigned) {
      if (!unsigned && this.hi >>> 31) {
        var lo = ~this.lo + 1 >>> 0, hi = ~this.hi >>> 0;
        if (!lo)
          hi = hi + 1 >>> 0;
        return -(lo + hi * 4294967296);
      }
      return this.lo + this.hi * 4294967296;
    };
    LongBits.prototype.toLong = function toLong(unsigned) {
      return util.Long ? new util.Long(this.lo | 0, this.hi | 0, Boolean(unsigned)) : { low: this.lo | 0, high: this.hi | 0, unsigned: Boolean(unsigned) };
    };
    var charCodeAt = String.prototype.charCodeAt;
    LongBits.fromHash = function fromHash(hash) {
      if (hash === zeroHash)
        return zero;
      return new LongBits(
        (charCodeAt.call(hash, 0) | charCodeAt.call(hash, 1) << 8 | charCodeAt.call(hash, 2) << 16 | charCodeAt.call(hash, 3) << 24) >>> 0,
        (charCodeAt.call(hash, 4) | charCodeAt.call(hash, 5) << 8 | charCodeAt.call(hash, 6) << 16 | charCodeAt.call(hash, 7) << 24) >>> 0
      );
    };
    LongBits.prototype.toHash = function toHash() {
      return String.fromCharCode(
        this.lo & 255,
        this.lo >>> 8 & 255,
        this.lo >>> 16 & 255,
        this.lo >>> 24,
        this.hi & 255,
        this.hi >>> 8 & 255,
        this.hi >>> 16 & 255,
        this.hi >>> 24
      );
    };
    LongBits.prototype.zzEncode = function zzEncode() {
      var mask = this.hi >> 31;
      this.hi = ((this.hi << 1 | this.lo >>> 31) ^ mask) >>> 0;
      this.lo = (this.lo << 1 ^ mask) >>> 0;
      return this;
    };
    LongBits.prototype.zzDecode = function zzDecode() {
      var mask = -(this.lo & 1);
      this.lo = ((this.lo >>> 1 | this.hi << 31) ^ mask) >>> 0;
      this.hi = (this.hi >>> 1 ^ mask) >>> 0;
      return this;
    };
    LongBits.prototype.length = function length() {
      var part0 = this.lo, part1 = (this.lo >>> 28 | this.hi << 4) >>> 0, part2 = this.hi >>> 24;
      return part2 === 0 ? part1 === 0 ? part0 < 16384 ? part0 < 128 ? 1 : 2 : part0 < 2097152 ? 3 : 4 : part1 < 16384 ? part1 < 128 ? 5 : 6 : part1 < 2097152 ? 7 : 8 : part2 < 128 ? 9 : 10;
    };
  }
});

// node_modules/protobufjs/src/util/minimal.js
var require_minimal = __commonJS({
  "node_modules/protobufjs/src/util/minimal.js"(exports) {
    "use strict";
    var util = exports;
    util.asPromise = require_aspromise();
    util.base64 = require_base64();
    util.EventEmitter = require_eventemitter();
    util.float = require_float();
    util.inquire = require_inquire();
    util.utf8 = require_utf8();
    util.pool = require_pool();
    util.LongBits = require_longbits();
    util.isNode = Boolean(typeof global !== "undefined" && global && global.process && global.process.versions && global.process.versions.node);
    util.global = util.isNode && global || typeof window !== "undefined" && window || typeof self !== "undefined" && self || exports;
    util.emptyArray = Object.freeze ? Object.freeze([]) : (
      /* istanbul ignore next */
      []
    );
    util.emptyObject = Object.freeze ? Object.freeze({}) : (
      /* istanbul ignore next */
      {}
    );
    util.isInteger = Number.isInteger || /* istanbul ignore next */
    function isInteger(value) {
      return typeof value === "number" && isFinite(value) && Math.floor(value) === value;
    };
    util.isString = function isString(value) {
      return typeof value === "string" || value instanceof String;
    };
    util.isObject = function isObject(value) {
      return value && typeof value === "object";
    };
    util.isset = /**
     * Checks if a property on a message is considered to be present.
     * @param {Object} obj Plain object or message instance
     * @param {string} prop Property name
     * @returns {boolean} `true` if considered to be present, otherwise `false`
     */
    util.isSet = function isSet(obj, prop) {
      var value = obj[prop];
      if (value != null && obj.hasOwnProperty(prop))
        return typeof value !== "object" || (Array.isArray(value) ? value.length : Object.keys(value).length) > 0;
      return false;
    };
    util.Buffer = (function() {
      try {
        var Buffer2 = util.inquire("buffer").Buffer;
        return Buffer2.prototype.utf8Write ? Buffer2 : (
          /* istanbul ignore next */
          null
        );
      } catch (e) {
        return null;
      }
    })();
    util._Buffer_from = null;
    util._Buffer_allocUnsafe = null;
    util.newBuffer = function newBuffer(sizeOrArray) {
      return typeof sizeOrArray === "number" ? util.Buffer ? util._Buffer_allocUnsafe(sizeOrArray) : new util.Array(sizeOrArray) : util.Buffer ? util._Buffer_from(sizeOrArray) : typeof Uint8Array === "undefined" ? sizeOrArray : new Uint8Array(sizeOrArray);
    };
    util.Array = typeof Uint8Array !== "undefined" ? Uint8Array : Array;
    util.Long = /* istanbul ignore next */
    util.global.dcodeIO && /* istanbul ignore next */
    util.global.dcodeIO.Long || /* istanbul ignore next */
    util.global.Long || util.inquire("long");
    util.key2Re = /^true|false|0|1$/;
    util.key32Re = /^-?(?:0|[1-9][0-9]*)$/;
    util.key64Re = /^(?:[\\x00-\\xff]{8}|-?(?:0|[1-9][0-9]*))$/;
    util.longToHash = function longToHash(value) {
      return value ? util.LongBits.from(value).toHash() : util.LongBits.zeroHash;
    };
    util.longFromHash = function longFromHash(hash, unsigned) {
      var bits = util.LongBits.fromHash(hash);
      if (util.Long)
        return util.Long.fromBits(bits.lo, bits.hi, unsigned);
      return bits.toNumber(Boolean(unsigned));
    };
    function merge(dst, src, ifNotSet) {
      for (var keys = Object.keys(src), i = 0; i < keys.length; ++i)
        if (dst[keys[i]] === void 0 || !ifNotSet)
          dst[keys[i]] = src[keys[i]];
      return dst;
    }
    util.merge = merge;
    util.lcFirst = function lcFirst(str) {
      return str.charAt(0).toLowerCase() + str.substring(1);
    };
    function newError(name) {
      function CustomError(message, properties) {
        if (!(this instanceof CustomError))
          return new CustomError(message, properties);
        Object.defineProperty(this, "message", { get: function() {
          return message;
        } });
        if (Error.captureStackTrace)
          Error.captureStackTrace(this, CustomError);
        else
          Object.defineProperty(this, "stack", { value: new Error().stack || "" });
        if (properties)
          merge(this, properties);
      }
      (CustomError.prototype = Object.create(Error.prototype)).constructor = CustomError;
      Object.defineProperty(CustomError.prototype, "name", { get: function() {
        return name;
      } });
      CustomError.prototype.toString = function toString() {
        return this.name + ": " + this.message;
      };
      return CustomError;
    }
    util.newError = newError;
    util.ProtocolError = newError("ProtocolError");
    util.oneOfGetter = function getOneOf(fieldNames) {
      var fieldMap = {};
      for (var i = 0; i < fieldNames.length; ++i)
        fieldMap[fieldNames[i]] = 1;
      return function() {
        for (var keys = Object.keys(this), i2 = keys.length - 1; i2 > -1; --i2)
          if (fieldMap[keys[i2]] === 1 && this[keys[i2]] !== void 0 && this[keys[i2]] !== null)
            return keys[i2];
      };
    };
    util.oneOfSetter = function setOneOf(fieldNames) {
      return function(name) {
        for (var i = 0; i < fieldNames.length; ++i)
          if (fieldNames[i] !== name)
            delete this[fieldNames[i]];
      };
    };
    util.toJSONOptions = {
      longs: String,
      enums: String,
      bytes: String,
      json: true
    };
    util._configure = function() {
      var Buffer2 = util.Buffer;
      if (!Buffer2) {
        util._Buffer_from = util._Buffer_allocUnsafe = null;
        return;
      }
      util._Buffer_from = Buffer2.from !== Uint8Array.from && Buffer2.from || /* istanbul ignore next */
      function Buffer_from(value, encoding) {
        return new Buffer2(value, encoding);
      };
      util._Buffer_allocUnsafe = Buffer2.allocUnsafe || /* istanbul ignore next */
      function Buffer_allocUnsafe(size3) {
        return new Buffer2(size3);
      };
    };
  }
});

// node_modules/protobufjs/src/writer.js
var require_writer = __commonJS({
  "node_modules/protobufjs/src/writer.js"(exports, module) {
    "use strict";
    module.exports = Writer;
    var util = require_minimal();
    var BufferWriter;
    var LongBits = util.LongBits;
    var base64 = util.base64;
    var utf8 = util.utf8;
    function Op(fn, len, val) {
      this.fn = fn;
      this.len = len;
      this.next = void 0;
      this.val = val;
    }
    function noop() {
    }
    function State(writer) {
      this.head = writer.head;
      this.tail = writer.tail;
      this.len = writer.len;
      this.next = writer.states;
    }
    function Writer() {
      this.len = 0;
      this.head = new Op(noop, 0, 0);
      this.tail = this.head;
      this.states = null;
    }
    var create = function create2() {
      return util.Buffer ? function create_buffer_setup() {
        return (Writer.create = function create_buffer() {
          return new BufferWriter();
        })();
      } : function create_array() {
        return new Writer();
      };
    };
    Writer.create = create();
    Writer.alloc = function alloc(size3) {
      return new util.Array(size3);
    };
    if (util.Array !== Array)
      Writer.alloc = util.pool(Writer.alloc, util.Array.prototype.subarray);
    Writer.prototype._push = function push(fn, len, val) {
      this.tail = this.tail.next = new Op(fn, len, val);
      this.len += len;
      return this;
    };
    function writeByte(val, buf, pos) {
      buf[pos] = val & 255;
    }
    function writeVarint32(val, buf, pos) {
      while (val > 127) {
        buf[pos++] = val & 127 | 128;
        val >>>= 7;
      }
      buf[pos] = val;
    }
    function VarintOp(len, val) {
      this.len = len;
      this.next = void 0;
      this.val = val;
    }
    VarintOp.prototype = Object.create(Op.prototype);
    VarintOp.prototype.fn = writeVarint32;
    Writer.prototype.uint32 = function write_uint32(value) {
      this.len += (this.tail = this.tail.next = new VarintOp(
        (value = value >>> 0) < 128 ? 1 : value < 16384 ? 2 : value < 2097152 ? 3 : value < 268435456 ? 4 : 5,
        value
      )).len;
      return this;
    };
    Writer.prototype.int32 = function write_int32(value) {
      return value < 0 ? this._push(writeVarint64, 10, LongBits.fromNumber(value)) : this.uint32(value);
    };
    Writer.prototype.sint32 = function write_sint32(value) {
      return this.uint32((value << 1 ^ value >> 31) >>> 0);
    };
    function writeVarint64(val, buf, pos) {
      while (val.hi) {
        buf[pos++] = val.lo & 127 | 128;
        val.lo = (val.lo >>> 7 | val.hi << 25) >>> 0;
        val.hi >>>= 7;
      }
      while (val.lo > 127) {
        buf[pos++] = val.lo & 127 | 128;
        val.lo = val.lo >>> 7;
      }
      buf[pos++] = val.lo;
    }
    Writer.prototype.uint64 = function write_uint64(value) {
      var bits = LongBits.from(value);
      return this._push(writeVarint64, bits.length(), bits);
    };
    Writer.prototype.int64 = Writer.prototype.uint64;
    Writer.prototype.sint64 = function write_sint64(value) {
      var bits = LongBits.from(value).zzEncode();
      return this._push(writeVarint64, bits.length(), bits);
    };
    Writer.prototype.bool = function write_bool(value) {
      return this._push(writeByte, 1, value ? 1 : 0);
    };
    function writeFixed32(val, buf, pos) {
      buf[pos] = val & 255;
      buf[pos + 1] = val >>> 8 & 255;
      buf[pos + 2] = val >>> 16 & 255;
      buf[pos + 3] = val >>> 24;
    }
    Writer.prototype.fixed32 = function write_fixed32(value) {
      return this._push(writeFixed32, 4, value >>> 0);
    };
    Writer.prototype.sfixed32 = Writer.prototype.fixed32;
    Writer.prototype.fixed64 = function write_fixed64(value) {
      var bits = LongBits.from(value);
      return this._push(writeFixed32, 4, bits.lo)._push(writeFixed32, 4, bits.hi);
    };
    Writer.prototype.sfixed64 = Writer.prototype.fixed64;
    Writer.prototype.float = function write_float(value) {
      return this._push(util.float.writeFloatLE, 4, value);
    };
    Writer.prototype.double = function write_double(value) {
      return this._push(util.float.writeDoubleLE, 8, value);
    };
    var writeBytes = util.Array.prototype.set ? function writeBytes_set(val, buf, pos) {
      buf.set(val, pos);
    } : function writeBytes_for(val, buf, pos) {
      for (var i = 0; i < val.length; ++i)
        buf[pos + i] = val[i];
    };
    Writer.prototype.bytes = function write_bytes(value) {
      var len = value.length >>> 0;
      if (!len)
        return this._push(writeByte, 1, 0);
      if (util.isString(value)) {
        var buf = Writer.alloc(len = base64.length(value));
        base64.decode(value, buf, 0);
        value = buf;
      }
      return this.uint32(len)._push(writeBytes, len, value);
    };
    Writer.prototype.string = function write_string(value) {
      var len = utf8.length(value);
      return len ? this.uint32(len)._push(utf8.write, len, value) : this._push(writeByte, 1, 0);
    };
    Writer.prototype.fork = function fork() {
      this.states = new State(this);
      this.head = this.tail = new Op(noop, 0, 0);
      this.len = 0;
      return this;
    };
    Writer.prototype.reset = function reset() {
      if (this.states) {
        this.head = this.states.head;
        this.tail = this.states.tail;
        this.len = this.states.len;
        this.states = this.states.next;
      } else {
        this.head = this.tail = new Op(noop, 0, 0);
        this.len = 0;
      }
      return this;
    };
    Writer.prototype.ldelim = function ldelim() {
      var head = this.head, tail = this.tail, len = this.len;
      this.reset().uint32(len);
      if (len) {
        this.tail.next = head.next;
        this.tail = tail;
        this.len += len;
      }
      return this;
    };
    Writer.prototype.finish = function finish() {
      var head = this.head.next, buf = this.constructor.alloc(this.len), pos = 0;
      while (head) {
        head.fn(head.val, buf, pos);
        pos += head.len;
        head = head.next;
      }
      return buf;
    };
    Writer._configure = function(BufferWriter_) {
      BufferWriter = BufferWriter_;
      Writer.create = create();
      BufferWriter._configure();
    };
  }
});

// node_modules/protobufjs/src/writer_buffer.js
var require_writer_buffer = __commonJS({
  "node_modules/protobufjs/src/writer_buffer.js"(exports, module) {
    "use strict";
    module.exports = BufferWriter;
    var Writer = require_writer();
    (BufferWriter.prototype = Object.create(Writer.prototype)).constructor = BufferWriter;
    var util = require_minimal();
    function BufferWriter() {
      Writer.call(this);
    }
    BufferWriter._configure = function() {
      BufferWriter.alloc = util._Buffer_allocUnsafe;
      BufferWriter.writeBytesBuffer = util.Buffer && util.Buffer.prototype instanceof Uint8Array && util.Buffer.prototype.set.name === "set" ? function writeBytesBuffer_set(val, buf, pos) {
        buf.set(val, pos);
      } : function writeBytesBuffer_copy(val, buf, pos) {
        if (val.copy)
          val.copy(buf, pos, 0, val.length);
        else for (var i = 0; i < val.length; )
          buf[pos++] = val[i++];
      };
    };
    BufferWriter.prototype.bytes = function write_bytes_buffer(value) {
      if (util.isString(value))
        value = util._Buffer_from(value, "base64");
      var len = value.length >>> 0;
      this.uint32(len);
      if (len)
        this._push(BufferWriter.writeBytesBuffer, len, value);
      return this;
    };
    function writeStringBuffer(val, buf, pos) {
      if (val.length < 40)
        util.utf8.write(val, buf, pos);
      else if (buf.utf8Write)
        buf.utf8Write(val, pos);
      else
        buf.write(val, pos);
    }
    BufferWriter.prototype.string = function write_string_buffer(value) {
      var len = util.Buffer.byteLength(value);
      this.uint32(len);
      if (len)
        this._push(writeStringBuffer, len, value);
      return this;
    };
    BufferWriter._configure();
  }
});

// node_modules/protobufjs/src/reader.js
var require_reader = __commonJS({
  "node_modules/protobufjs/src/reader.js"(exports, module) {
    "use strict";
    module.exports = Reader;
    var util = require_minimal();
    var BufferReader;
    var LongBits = util.LongBits;
    var utf8 = util.utf8;
    function indexOutOfRange(reader, writeLength) {
      return RangeError("index out of range: " + reader.pos + " + " + (writeLength || 1) + " > " + reader.len);
    }
    function Reader(buffer) {
      this.buf = buffer;
      this.pos = 0;
      this.len = buffer.length;
    }
    var create_array = typeof Uint8Array !== "undefined" ? function create_typed_array(buffer) {
      if (buffer instanceof Uint8Array || Array.isArray(buffer))
        return new Reader(buffer);
      throw Error("illegal buffer");
    } : function create_array2(buffer) {
      if (Array.isArray(buffer))
        return new Reader(buffer);
      throw Error("illegal buffer");
    };
    var create = function create2() {
      return util.Buffer ? function create_buffer_setup(buffer) {
        return (Reader.create = function create_buffer(buffer2) {
          return util.Buffer.isBuffer(buffer2) ? new BufferReader(buffer2) : create_array(buffer2);
        })(buffer);
      } : create_array;
    };
    Reader.create = create();
    Reader.prototype._slice = util.Array.prototype.subarray || /* istanbul ignore next */
    util.Array.prototype.slice;
    Reader.prototype.uint32 = /* @__PURE__ */ (function read_uint32_setup() {
      var value = 4294967295;
      return function read_uint32() {
        value = (this.buf[this.pos] & 127) >>> 0;
        if (this.buf[this.pos++] < 128) return value;
        value = (value | (this.buf[this.pos] & 127) << 7) >>> 0;
        if (this.buf[this.pos++] < 128) return value;
        value = (value | (this.buf[this.pos] & 127) << 14) >>> 0;
        if (this.buf[this.pos++] < 128) return value;
        value = (value | (this.buf[this.pos] & 127) << 21) >>> 0;
        if (this.buf[this.pos++] < 128) return value;
        value = (value | (this.buf[this.pos] & 15) << 28) >>> 0;
        if (this.buf[this.pos++] < 128) return value;
        if ((this.pos += 5) > this.len) {
          this.pos = this.len;
          throw indexOutOfRange(this, 10);
        }
        return value;
      };
    })();
    Reader.prototype.int32 = function read_int32() {
      return this.uint32() | 0;
    };
    Reader.prototype.sint32 = function read_sint32() {
      var value = this.uint32();
      return value >>> 1 ^ -(value & 1) | 0;
    };
    function readLongVarint() {
      var bits = new LongBits(0, 0);
      var i = 0;
      if (this.len - this.pos > 4) {
        for (; i < 4; ++i) {
          bits.lo = (bits.lo | (this.buf[this.pos] & 127) << i * 7) >>> 0;
          if (this.buf[this.pos++] < 128)
            return bits;
        }
        bits.lo = (bits.lo | (this.buf[this.pos] & 127) << 28) >>> 0;
        bits.hi = (bits.hi | (this.buf[this.pos] & 127) >> 4) >>> 0;
        if (this.buf[this.pos++] < 128)
          return bits;
        i = 0;
      } else {
        for (; i < 3; ++i) {
          if (this.pos >= this.len)
            throw indexOutOfRange(this);
          bits.lo = (bits.lo | (this.buf[this.pos] & 127) << i * 7) >>> 0;
          if (this.buf[this.pos++] < 128)
            return bits;
        }
        bits.lo = (bits.lo | (this.buf[this.pos++] & 127) << i * 7) >>> 0;
        return bits;
      }
      if (this.len - this.pos > 4) {
        for (; i < 5; ++i) {
          bits.hi = (bits.hi | (this.buf[this.pos] & 127) << i * 7 + 3) >>> 0;
          if (this.buf[this.pos++] < 128)
            return bits;
        }
      } else {
        for (; i < 5; ++i) {
          if (this.pos >= this.len)
            throw indexOutOfRange(this);
          bits.hi = (bits.hi | (this.buf[this.pos] & 127) << i * 7 + 3) >>> 0;
          if (this.buf[this.pos++] < 128)
            return bits;
        }
      }
      throw Error("invalid varint encoding");
    }
    Reader.prototype.bool = function read_bool() {
      return this.uint32() !== 0;
    };
    function readFixed32_end(buf, end) {
      return (buf[end - 4] | buf[end - 3] << 8 | buf[end - 2] << 16 | buf[end - 1] << 24) >>> 0;
    }
    Reader.prototype.fixed32 = function read_fixed32() {
      if (this.pos + 4 > this.len)
        throw indexOutOfRange(this, 4);
      return readFixed32_end(this.buf, this.pos += 4);
    };
    Reader.prototype.sfixed32 = function read_sfixed32() {
      if (this.pos + 4 > this.len)
        throw indexOutOfRange(this, 4);
      return readFixed32_end(this.buf, this.pos += 4) | 0;
    };
    function readFixed64() {
      if (this.pos + 8 > this.len)
        throw indexOutOfRange(this, 8);
      return new LongBits(readFixed32_end(this.buf, this.pos += 4), readFixed32_end(this.buf, this.pos += 4));
    }
    Reader.prototype.float = function read_float() {
      if (this.pos + 4 > this.len)
        throw indexOutOfRange(this, 4);
      var value = util.float.readFloatLE(this.buf, this.pos);
      this.pos += 4;
      return value;
    };
    Reader.prototype.double = function read_double() {
      if (this.pos + 8 > this.len)
        throw indexOutOfRange(this, 4);
      var value = util.float.readDoubleLE(this.buf, this.pos);
      this.pos += 8;
      return value;
    };
    Reader.prototype.bytes = function read_bytes() {
      var length = this.uint32(), start = this.pos, end = this.pos + length;
      if (end > this.len)
        throw indexOutOfRange(this, length);
      this.pos += length;
      if (Array.isArray(this.buf))
        return this.buf.slice(start, end);
      return start === end ? new this.buf.constructor(0) : this._slice.call(this.buf, start, end);
    };
    Reader.prototype.string = function read_string() {
      var bytes = this.bytes();
      return utf8.read(bytes, 0, bytes.length);
    };
    Reader.prototype.skip = function skip(length) {
      if (typeof length === "number") {
        if (this.pos + length > this.len)
          throw indexOutOfRange(this, length);
        this.pos += length;
      } else {
        do {
          if (this.pos >= this.len)
            throw indexOutOfRange(this);
        } while (this.buf[this.pos++] & 128);
      }
      return this;
    };
    Reader.prototype.skipType = function(wireType) {
      switch (wireType) {
        case 0:
          this.skip();
          break;
        case 1:
          this.skip(8);
          break;
        case 2:
          this.skip(this.uint32());
          break;
        case 3:
          while ((wireType = this.uint32() & 7) !== 4) {
            this.skipType(wireType);
          }
          break;
        case 5:
          this.skip(4);
          break;
        /* istanbul ignore next */
        default:
          throw Error("invalid wire type " + wireType + " at offset " + this.pos);
      }
      return this;
    };
    Reader._configure = function(BufferReader_) {
      BufferReader = BufferReader_;
      Reader.create = create();
      BufferReader._configure();
      var fn = util.Long ? "toLong" : (
        /* istanbul ignore next */
        "toNumber"
      );
      util.merge(Reader.prototype, {
        int64: function read_int64() {
          return readLongVarint.call(this)[fn](false);
        },
        uint64: function read_uint64() {
          return readLongVarint.call(this)[fn](true);
        },
        sint64: function read_sint64() {
          return readLongVarint.call(this).zzDecode()[fn](false);
        },
        fixed64: function read_fixed64() {
          return readFixed64.call(this)[fn](true);
        },
        sfixed64: function read_sfixed64() {
          return readFixed64.call(this)[fn](false);
        }
      });
    };
  }
});

// node_modules/protobufjs/src/reader_buffer.js
var require_reader_buffer = __commonJS({
  "node_modules/protobufjs/src/reader_buffer.js"(exports, module) {
    "use strict";
    module.exports = BufferReader;
    var Reader = require_reader();
    (BufferReader.prototype = Object.create(Reader.prototype)).constructor = BufferReader;
    var util = require_minimal();
    function BufferReader(buffer) {
      Reader.call(this, buffer);
    }
    BufferReader._configure = function() {
      if (util.Buffer)
        BufferReader.prototype._slice = util.Buffer.prototype.slice;
    };
    BufferReader.prototype.string = function read_string_buffer() {
      var len = this.uint32();
      return this.buf.utf8Slice ? this.buf.utf8Slice(this.pos, this.pos = Math.min(this.pos + len, this.len)) : this.buf.toString("utf-8", this.pos, this.pos = Math.min(this.pos + len, this.len));
    };
    BufferReader._configure();
  }
});

// node_modules/protobufjs/src/rpc/service.js
var require_service = __commonJS({
  "node_modules/protobufjs/src/rpc/service.js"(exports, module) {
    "use strict";
    module.exports = Service;
    var util = require_minimal();
    (Service.prototype = Object.create(util.EventEmitter.prototype)).constructor = Service;
    function Service(rpcImpl, requestDelimited, responseDelimited) {
      if (typeof rpcImpl !== "function")
        throw TypeError("rpcImpl must be a function");
      util.EventEmitter.call(this);
      this.rpcImpl = rpcImpl;
      this.requestDelimited = Boolean(requestDelimited);
      this.responseDelimited = Boolean(responseDelimited);
    }
    Service.prototype.rpcCall = function rpcCall(method, requestCtor, responseCtor, request, callback) {
      if (!request)
        throw TypeError("request must be specified");
      var self2 = this;
      if (!callback)
        return util.asPromise(rpcCall, self2, method, requestCtor, responseCtor, request);
      if (!self2.rpcImpl) {
        setTimeout(function() {
          callback(Error("already ended"));
        }, 0);
        return void 0;
      }
      try {
        return self2.rpcImpl(
          method,
          requestCtor[self2.requestDelimited ? "encodeDelimited" : "encode"](request).finish(),
          function rpcCallback(err, response) {
            if (err) {
              self2.emit("error", err, method);
              return callback(err);
            }
            if (response === null) {
              self2.end(
                /* endedByRPC */
                true
              );
              return void 0;
            }
            if (!(response instanceof responseCtor)) {
              try {
                response = responseCtor[self2.responseDelimited ? "decodeDelimited" : "decode"](response);
              } catch (err2) {
                self2.emit("error", err2, method);
                return callback(err2);
              }
            }
            self2.emit("data", response, method);
            return callback(null, response);
          }
        );
      } catch (err) {
        self2.emit("error", err, method);
        setTimeout(function() {
          callback(err);
        }, 0);
        return void 0;
      }
    };
    Service.prototype.end = function end(endedByRPC) {
      if (this.rpcImpl) {
        if (!endedByRPC)
          this.rpcImpl(null, null, null);
        this.rpcImpl = null;
        this.emit("end").off();
      }
      return this;
    };
  }
});

// node_modules/protobufjs/src/rpc.js
var require_rpc = __commonJS({
  "node_modules/protobufjs/src/rpc.js"(exports) {
    "use strict";
    var rpc = exports;
    rpc.Service = require_service();
  }
});

// node_modules/protobufjs/src/roots.js
var require_roots = __commonJS({
  "node_modules/protobufjs/src/roots.js"(exports, module) {
    "use strict";
    module.exports = {};
  }
});

// node_modules/protobufjs/src/index-minimal.js
var require_index_minimal = __commonJS({
  "node_modules/protobufjs/src/index-minimal.js"(exports) {
    "use strict";
    var protobuf = exports;
    protobuf.build = "minimal";
    protobuf.Writer = require_writer();
    protobuf.BufferWriter = require_writer_buffer();
    protobuf.Reader = require_reader();
    protobuf.BufferReader = require_reader_buffer();
    protobuf.util = require_minimal();
    protobuf.rpc = require_rpc();
    protobuf.roots = require_roots();
    protobuf.configure = configure;
    function configure() {
      protobuf.util._configure();
      protobuf.Writer._configure(protobuf.BufferWriter);
      protobuf.Reader._configure(protobuf.BufferReader);
    }
    configure();
  }
});

// node_modules/protobufjs/minimal.js
var require_minimal2 = __commonJS({
  "node_modules/protobufjs/minimal.js"(exports, module) {
    "use strict";
    module.exports = require_index_minimal();
  }
});

// node_modules/onnx-proto/dist/onnx.js
var require_onnx = __commonJS({
  "node_modules/onnx-proto/dist/onnx.js"(exports, module) {
    "use strict";
    var $protobuf = require_minimal2();
    var $Reader = $protobuf.Reader;
    var $Writer = $protobuf.Writer;
    var $util = $protobuf.util;
    var $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});
    $root.onnx = (function() {
      var onnx2 = {};
      onnx2.Version = (function() {
        var valuesById = {}, values = Object.create(valuesById);
        values[valuesById[0] = "_START_VERSION"] = 0;
        values[valuesById[1] = "IR_VERSION_2017_10_10"] = 1;
        values[valuesById[2] = "IR_VERSION_2017_10_30"] = 2;
        values[valuesById[3] = "IR_VERSION_2017_11_3"] = 3;
        values[valuesById[4] = "IR_VERSION_2019_1_22"] = 4;
        values[valuesById[5] = "IR_VERSION_2019_3_18"] = 5;
        values[valuesById[6] = "IR_VERSION_2019_9_19"] = 6;
        values[valuesById[7] = "IR_VERSION_2020_5_8"] = 7;
        values[valuesById[8] = "IR_VERSION"] = 8;
        return values;
      })();
      onnx2.AttributeProto = (function() {
        function AttributeProto(properties) {
          this.floats = [];
          this.ints = [];
          this.strings = [];
          this.tensors = [];
          this.graphs = [];
          this.sparseTensors = [];
          this.typeProtos = [];
          if (properties) {
            for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
              if (properties[keys[i]] != null)
                this[keys[i]] = properties[keys[i]];
          }
        }
        AttributeProto.prototype.name = "";
        AttributeProto.prototype.refAttrName = "";
        AttributeProto.prototype.docString = "";
        AttributeProto.prototype.type = 0;
        AttributeProto.prototype.f = 0;
        AttributeProto.prototype.i = $util.Long ? $util.Long.fromBits(0, 0, false) : 0;
        AttributeProto.prototype.s = $util.newBuffer([]);
        AttributeProto.prototype.t = null;
        AttributeProto.prototype.g = null;
        AttributeProto.prototype.sparseTensor = null;
        AttributeProto.prototype.tp = null;
        AttributeProto.prototype.floats = $util.emptyArray;
        AttributeProto.prototype.ints = $util.emptyArray;
        AttributeProto.prototype.strings = $util.emptyArray;
        AttributeProto.prototype.tensors = $util.emptyArray;
        AttributeProto.prototype.graphs = $util.emptyArray;
        AttributeProto.prototype.sparseTensors = $util.emptyArray;
        AttributeProto.prototype.typeProtos = $util.emptyArray;
        AttributeProto.create = function create(properties) {
          return new AttributeProto(properties);
        };
        AttributeProto.encode = function encode(message, writer) {
          if (!writer)
            writer = $Writer.create();
          if (message.name != null && Object.hasOwnProperty.call(message, "name"))
            writer.uint32(
              /* id 1, wireType 2 =*/
              10
            ).string(message.name);
          if (message.f != null && Object.hasOwnProperty.call(message, "f"))
            writer.uint32(
              /* id 2, wireType 5 =*/
              21
            ).float(message.f);
          if (message.i != null && Object.hasOwnProperty.call(message, "i"))
            writer.uint32(
              /* id 3, wireType 0 =*/
              24
            ).int64(message.i);
          if (message.s != null && Object.hasOwnProperty.call(message, "s"))
            writer.uint32(
              /* id 4, wireType 2 =*/
              34
            ).bytes(message.s);
          if (message.t != null && Object.hasOwnProperty.call(message, "t"))
            $root.onnx.TensorProto.encode(message.t, writer.uint32(
              /* id 5, wireType 2 =*/
              42
            ).fork()).ldelim();
          if (message.g != null && Object.hasOwnProperty.call(message, "g"))
            $root.onnx.GraphProto.encode(message.g, writer.uint32(
              /* id 6, wireType 2 =*/
              50
            ).fork()).ldelim();
          if (message.floats != null && message.floats.length) {
            writer.uint32(
              /* id 7, wireType 2 =*/
              58
            ).fork();
            for (var i = 0; i < message.floats.length; ++i)
              writer.float(message.floats[i]);
            writer.ldelim();
          }
          if (message.ints != null && message.ints.length) {
            writer.uint32(
              /* id 8, wireType 2 =*/
              66
            ).fork();
            for (var i = 0; i < message.ints.length; ++i)
              writer.int64(message.ints[i]);
            writer.ldelim();
          }
          if (message.strings != null && message.strings.length)
            for (var i = 0; i < message.strings.length; ++i)
              writer.uint32(
                /* id 9, wireType 2 =*/
                74
              ).bytes(message.strings[i]);
          if (message.tensors != null && message.tensors.length)
            for (var i = 0; i < message.tensors.length; ++i)
              $root.onnx.TensorProto.encode(message.tensors[i], writer.uint32(
                /* id 10, wireType 2 =*/
                82
              ).fork()).ldelim();
          if (message.graphs != null && message.graphs.length)
            for (var i = 0; i < message.graphs.length; ++i)
              $root.onnx.GraphProto.encode(message.graphs[i], writer.uint32(
                /* id 11, wireType 2 =*/
                90
              ).fork()).ldelim();
          if (message.docString != null && Object.hasOwnProperty.call(message, "docString"))
            writer.uint32(
              /* id 13, wireType 2 =*/
              106
            ).string(message.docString);
          if (message.tp != null && Object.hasOwnProperty.call(message, "tp"))
            $root.onnx.TypeProto.encode(message.tp, writer.uint32(
              /* id 14, wireType 2 =*/
              114
            ).fork()).ldelim();
          if (message.typeProtos != null && message.typeProtos.length)
            for (var i = 0; i < message.typeProtos.length; ++i)
              $root.onnx.TypeProto.encode(message.typeProtos[i], writer.uint32(
                /* id 15, wireType 2 =*/
                122
              ).fork()).ldelim();
          if (message.type != null && Object.hasOwnProperty.call(message, "type"))
            writer.uint32(
              /* id 20, wireType 0 =*/
              160
            ).int32(message.type);
          if (message.refAttrName != null && Object.hasOwnProperty.call(message, "refAttrName"))
            writer.uint32(
              /* id 21, wireType 2 =*/
              170
            ).string(message.refAttrName);
          if (message.sparseTensor != null && Object.hasOwnProperty.call(message, "sparseTensor"))
            $root.onnx.SparseTensorProto.encode(message.sparseTensor, writer.uint32(
              /* id 22, wireType 2 =*/
              178
            ).fork()).ldelim();
          if (message.sparseTensors != null && message.sparseTensors.length)
            for (var i = 0; i < message.sparseTensors.length; ++i)
              $root.onnx.SparseTensorProto.encode(message.sparseTensors[i], writer.uint32(
                /* id 23, wireType 2 =*/
                186
              ).fork()).ldelim();
          return writer;
        };
        AttributeProto.encodeDelimited = function encodeDelimited(message, writer) {
          return this.encode(message, writer).ldelim();
        };
        AttributeProto.decode = function decode(reader, length) {
          if (!(reader instanceof $Reader))
            reader = $Reader.create(reader);
          var end = length === void 0 ? reader.len : reader.pos + length, message = new $root.onnx.AttributeProto();
          while (reader.pos < end) {
            var tag = reader.uint32();
            switch (tag >>> 3) {
              case 1:
                message.name = reader.string();
                break;
              case 21:
                message.refAttrName = reader.string();
                break;
              case 13:
                message.docString = reader.string();
                break;
              case 20:
                message.type = reader.int32();
                break;
              case 2:
                message.f = reader.float();
                break;
              case 3:
                message.i = reader.int64();
                break;
              case 4:
                message.s = reader.bytes();
                break;
              case 5:
                message.t = $root.onnx.TensorProto.decode(reader, reader.uint32());
                break;
              case 6:
                message.g = $root.onnx.GraphProto.decode(reader, reader.uint32());
                break;
              case 22:
                message.sparseTensor = $root.onnx.SparseTensorProto.decode(reader, reader.uint32());
                break;
              case 14:
                message.tp = $root.onnx.TypeProto.decode(reader, reader.uint32());
                break;
              case 7:
                if (!(message.floats && message.floats.length))
                  message.floats = [];
                if ((tag & 7) === 2) {
                  var end2 = reader.uint32() + reader.pos;
                  while (reader.pos < end2)
                    message.floats.push(reader.float());
                } else
                  message.floats.push(reader.float());
                break;
              case 8:
                if (!(message.ints && message.ints.length))
                  message.ints = [];
                if ((tag & 7) === 2) {
                  var end2 = reader.uint32() + reader.pos;
                  while (reader.pos < end2)
                    message.ints.push(reader.int64());
                } else
                  message.ints.push(reader.int64());
                break;
              case 9:
                if (!(message.strings && message.strings.length))
                  message.strings = [];
                message.strings.push(reader.bytes());
                break;
              case 10:
                if (!(message.tensors && message.tensors.length))
                  message.tensors = [];
                message.tensors.push($root.onnx.TensorProto.decode(reader, reader.uint32()));
                break;
              case 11:
                if (!(message.graphs && message.graphs.length))
                  message.graphs = [];
                message.graphs.push($root.onnx.GraphProto.decode(reader, reader.uint32()));
                break;
              case 23:
                if (!(message.sparseTensors && message.sparseTensors.length))
                  message.sparseTensors = [];
                message.sparseTensors.push($root.onnx.SparseTensorProto.decode(reader, reader.uint32()));
                break;
              case 15:
                if (!(message.typeProtos && message.typeProtos.length))
                  message.typeProtos = [];
                message.typeProtos.push($root.onnx.TypeProto.decode(reader, reader.uint32()));
                break;
              default:
                reader.skipType(tag & 7);
                break;
            }
          }
          return message;
        };
        AttributeProto.decodeDelimited = function decodeDelimited(reader) {
          if (!(reader instanceof $Reader))
            reader = new $Reader(reader);
          return this.decode(reader, reader.uint32());
        };
        AttributeProto.verify = function verify(message) {
          if (typeof message !== "object" || message === null)
            return "object expected";
          if (message.name != null && message.hasOwnProperty("name")) {
            if (!$util.isString(message.name))
              return "name: string expected";
          }
          if (message.refAttrName != null && message.hasOwnProperty("refAttrName")) {
            if (!$util.isString(message.refAttrName))
              return "refAttrName: string expected";
          }
          if (message.docString != null && message.hasOwnProperty("docString")) {
            if (!$util.isString(message.docString))
              return "docString: string expected";
          }
          if (message.type != null && message.hasOwnProperty("type"))
            switch (message.type) {
              default:
                return "type: enum value expected";
              case 0:
              case 1:
              case 2:
              case 3:
              case 4:
              case 5:
              case 11:
              case 13:
              case 6:
              case 7:
              case 8:
              case 9:
              case 10:
              case 12:
              case 14:
                break;
            }
          if (message.f != null && message.hasOwnProperty("f")) {
            if (typeof message.f !== "number")
              return "f: number expected";
          }
          if (message.i != null && message.hasOwnProperty("i")) {
            if (!$util.isInteger(message.i) && !(message.i && $util.isInteger(message.i.low) && $util.isInteger(message.i.high)))
              return "i: integer|Long expected";
          }
          if (message.s != null && message.hasOwnProperty("s")) {
            if (!(message.s && typeof message.s.length === "number" || $util.isString(message.s)))
              return "s: buffer expected";
          }
          if (message.t != null && message.hasOwnProperty("t")) {
            var error = $root.onnx.TensorProto.verify(message.t);
            if (error)
              return "t." + error;
          }
          if (message.g != null && message.hasOwnProperty("g")) {
            var error = $root.onnx.GraphProto.verify(message.g);
            if (error)
              return "g." + error;
          }
          if (message.sparseTensor != null && message.hasOwnProperty("sparseTensor")) {
            var error = $root.onnx.SparseTensorProto.verify(message.sparseTensor);
            if (error)
              return "sparseTensor." + error;
          }
          if (message.tp != null && message.hasOwnProperty("tp")) {
            var error = $root.onnx.TypeProto.verify(message.tp);
            if (error)
              return "tp." + error;
          }
          if (message.floats != null && message.hasOwnProperty("floats")) {
            if (!Array.isArray(message.floats))
              return "floats: array expected";
            for (var i = 0; i < message.floats.length; ++i)
              if (typeof message.floats[i] !== "number")
                return "floats: number[] expected";
          }
          if (message.ints != null && message.hasOwnProperty("ints")) {
            if (!Array.isArray(message.ints))
              return "ints: array expected";
            for (var i = 0; i < message.ints.length; ++i)
              if (!$util.isInteger(message.ints[i]) && !(message.ints[i] && $util.isInteger(message.ints[i].low) && $util.isInteger(message.ints[i].high)))
                return "ints: integer|Long[] expected";
          }
          if (message.strings != null && message.hasOwnProperty("strings")) {
            if (!Array.isArray(message.strings))
              return "strings: array expected";
            for (var i = 0; i < message.strings.length; ++i)
              if (!(message.strings[i] && typeof message.strings[i].length === "number" || $util.isString(message.strings[i])))
                return "strings: buffer[] expected";
          }
          if (message.tensors != null && message.hasOwnProperty("tensors")) {
            if (!Array.isArray(message.tensors))
              return "tensors: array expected";
            for (var i = 0; i < message.tensors.length; ++i) {
              var error = $root.onnx.TensorProto.verify(message.tensors[i]);
              if (error)
                return "tensors." + error;
            }
          }
          if (message.graphs != null && message.hasOwnProperty("graphs")) {
            if (!Array.isArray(message.graphs))
              return "graphs: array expected";
            for (var i = 0; i < message.graphs.length; ++i) {
              var error = $root.onnx.GraphProto.verify(message.graphs[i]);
              if (error)
                return "graphs." + error;
            }
          }
          if (message.sparseTensors != null && message.hasOwnProperty("sparseTensors")) {
            if (!Array.isArray(message.sparseTensors))
              return "sparseTensors: array expected";
            for (var i = 0; i < message.sparseTensors.length; ++i) {
              var error = $root.onnx.SparseTensorProto.verify(message.sparseTensors[i]);
              if (error)
                return "sparseTensors." + error;
            }
          }
          if (message.typeProtos != null && message.hasOwnProperty("typeProtos")) {
            if (!Array.isArray(message.typeProtos))
              return "typeProtos: array expected";
            for (var i = 0; i < message.typeProtos.length; ++i) {
              var error = $root.onnx.TypeProto.verify(message.typeProtos[i]);
              if (error)
                return "typeProtos." + error;
            }
          }
          return null;
        };
        AttributeProto.fromObject = function fromObject(object) {
          if (object instanceof $root.onnx.AttributeProto)
            return object;
          var message = new $root.onnx.AttributeProto();
          if (object.name != null)
            message.name = String(object.name);
          if (object.refAttrName != null)
            message.refAttrName = String(object.refAttrName);
          if (object.docString != null)
            message.docString = String(object.docString);
          switch (object.type) {
            case "UNDEFINED":
            case 0:
              message.type = 0;
              break;
            case "FLOAT":
            case 1:
              message.type = 1;
              break;
            case "INT":
            case 2:
              message.type = 2;
              break;
            case "STRING":
            case 3:
              message.type = 3;
              break;
            case "TENSOR":
            case 4:
              message.type = 4;
              break;
            case "GRAPH":
            case 5:
              message.type = 5;
              break;
            case "SPARSE_TENSOR":
            case 11:
              message.type = 11;
              break;
            case "TYPE_PROTO":
            case 13:
              message.type = 13;
              break;
            case "FLOATS":
            case 6:
              message.type = 6;
              break;
            case "INTS":
            case 7:
              message.type = 7;
              break;
            case "STRINGS":
            case 8:
              message.type = 8;
              break;
            case "TENSORS":
            case 9:
              message.type = 9;
              break;
            case "GRAPHS":
            case 10:
              message.type = 10;
              break;
            case "SPARSE_TENSORS":
            case 12:
              message.type = 12;
              break;
            case "TYPE_PROTOS":
            case 14:
              message.type = 14;
              break;
          }
          if (object.f != null)
            message.f = Number(object.f);
          if (object.i != null) {
            if ($util.Long)
              (message.i = $util.Long.fromValue(object.i)).unsigned = false;
            else if (typeof object.i === "string")
              message.i = parseInt(object.i, 10);
            else if (typeof object.i === "number")
              message.i = object.i;
            else if (typeof object.i === "object")
              message.i = new $util.LongBits(object.i.low >>> 0, object.i.high >>> 0).toNumber();
          }
          if (object.s != null) {
            if (typeof object.s === "string")
              $util.base64.decode(object.s, message.s = $util.newBuffer($util.base64.length(object.s)), 0);
            else if (object.s.length)
              message.s = object.s;
          }
          if (object.t != null) {
            if (typeof object.t !== "object")
              throw TypeError(".onnx.AttributeProto.t: object expected");
            message.t = $root.onnx.TensorProto.fromObject(object.t);
          }
          if (object.g != null) {
            if (typeof object.g !== "object")
              throw TypeError(".onnx.AttributeProto.g: object expected");
            message.g = $root.onnx.GraphProto.fromObject(object.g);
          }
          if (object.sparseTensor != null) {
            if (typeof object.sparseTensor !== "object")
              throw TypeError(".onnx.AttributeProto.sparseTensor: object expected");
            message.sparseTensor = $root.onnx.SparseTensorProto.fromObject(object.sparseTensor);
          }
          if (object.tp != null) {
            if (typeof object.tp !== "object")
              throw TypeError(".onnx.AttributeProto.tp: object expected");
            message.tp = $root.onnx.TypeProto.fromObject(object.tp);
          }
          if (object.floats) {
            if (!Array.isArray(object.floats))
              throw TypeError(".onnx.AttributeProto.floats: array expected");
            message.floats = [];
            for (var i = 0; i < object.floats.length; ++i)
              message.floats[i] = Number(object.floats[i]);
          }
          if (object.ints) {
            if (!Array.isArray(object.ints))
              throw TypeError(".onnx.AttributeProto.ints: array expected");
            message.ints = [];
            for (var i = 0; i < object.ints.length; ++i)
              if ($util.Long)
                (message.ints[i] = $util.Long.fromValue(object.ints[i])).unsigned = false;
              else if (typeof object.ints[i] === "string")
                message.ints[i] = parseInt(object.ints[i], 10);
              else if (typeof object.ints[i] === "number")
                message.ints[i] = object.ints[i];
              else if (typeof object.ints[i] === "object")
                message.ints[i] = new $util.LongBits(object.ints[i].low >>> 0, object.ints[i].high >>> 0).toNumber();
          }
          if (object.strings) {
            if (!Array.isArray(object.strings))
              throw TypeError(".onnx.AttributeProto.strings: array expected");
            message.strings = [];
            for (var i = 0; i < object.strings.length; ++i)
              if (typeof object.strings[i] === "string")
                $util.base64.decode(object.strings[i], message.strings[i] = $util.newBuffer($util.base64.length(object.strings[i])), 0);
              else if (object.strings[i].length)
                message.strings[i] = object.strings[i];
          }
          if (object.tensors) {
            if (!Array.isArray(object.tensors))
              throw TypeError(".onnx.AttributeProto.tensors: array expected");
            message.tensors = [];
            for (var i = 0; i < object.tensors.length; ++i) {
              if (typeof object.tensors[i] !== "object")
                throw TypeError(".onnx.AttributeProto.tensors: object expected");
              message.tensors[i] = $root.onnx.TensorProto.fromObject(object.tensors[i]);
            }
          }
          if (object.graphs) {
            if (!Array.isArray(object.graphs))
              throw TypeError(".onnx.AttributeProto.graphs: array expected");
            message.graphs = [];
            for (var i = 0; i < object.graphs.length; ++i) {
              if (typeof object.graphs[i] !== "object")
                throw TypeError(".onnx.AttributeProto.graphs: object expected");
              message.graphs[i] = $root.onnx.GraphProto.fromObject(object.graphs[i]);
            }
          }
          if (object.sparseTensors) {
            if (!Array.isArray(object.sparseTensors))
              throw TypeError(".onnx.AttributeProto.sparseTensors: array expected");
            message.sparseTensors = [];
            for (var i = 0; i < object.sparseTensors.length; ++i) {
              if (typeof object.sparseTensors[i] !== "object")
                throw TypeError(".onnx.AttributeProto.sparseTensors: object expected");
              message.sparseTensors[i] = $root.onnx.SparseTensorProto.fromObject(object.sparseTensors[i]);
            }
          }
          if (object.typeProtos) {
            if (!Array.isArray(object.typeProtos))
              throw TypeError(".onnx.AttributeProto.typeProtos: array expected");
            message.typeProtos = [];
            for (var i = 0; i < object.typeProtos.length; ++i) {
              if (typeof object.typeProtos[i] !== "object")
                throw TypeError(".onnx.AttributeProto.typeProtos: object expected");
              message.typeProtos[i] = $root.onnx.TypeProto.fromObject(object.typeProtos[i]);
            }
          }
          return message;
        };
        AttributeProto.toObject = function toObject(message, options2) {
          if (!options2)
            options2 = {};
          var object = {};
          if (options2.arrays || options2.defaults) {
            object.floats = [];
            object.ints = [];
            object.strings = [];
            object.tensors = [];
            object.graphs = [];
            object.typeProtos = [];
            object.sparseTensors = [];
          }
          if (options2.defaults) {
            object.name = "";
            object.f = 0;
            if ($util.Long) {
              var long = new $util.Long(0, 0, false);
              object.i = options2.longs === String ? long.toString() : options2.longs === Number ? long.toNumber() : long;
            } else
              object.i = options2.longs === String ? "0" : 0;
            if (options2.bytes === String)
              object.s = "";
            else {
              object.s = [];
              if (options2.bytes !== Array)
                object.s = $util.newBuffer(object.s);
            }
            object.t = null;
            object.g = null;
            object.docString = "";
            object.tp = null;
            object.type = options2.enums === String ? "UNDEFINED" : 0;
            object.refAttrName = "";
            object.sparseTensor = null;
          }
          if (message.name != null && message.hasOwnProperty("name"))
            object.name = message.name;
          if (message.f != null && message.hasOwnProperty("f"))
            object.f = options2.json && !isFinite(message.f) ? String(message.f) : message.f;
          if (message.i != null && message.hasOwnProperty("i"))
            if (typeof message.i === "number")
              object.i = options2.longs === String ? String(message.i) : message.i;
            else
              object.i = options2.longs === String ? $util.Long.prototype.toString.call(message.i) : options2.longs === Number ? new $util.LongBits(message.i.low >>> 0, message.i.high >>> 0).toNumber() : message.i;
          if (message.s != null && message.hasOwnProperty("s"))
            object.s = options2.bytes === String ? $util.base64.encode(message.s, 0, message.s.length) : options2.bytes === Array ? Array.prototype.slice.call(message.s) : message.s;
          if (message.t != null && message.hasOwnProperty("t"))
            object.t = $root.onnx.TensorProto.toObject(message.t, options2);
          if (message.g != null && message.hasOwnProperty("g"))
            object.g = $root.onnx.GraphProto.toObject(message.g, options2);
          if (message.floats && message.floats.length) {
            object.floats = [];
            for (var j = 0; j < message.floats.length; ++j)
              object.floats[j] = options2.json && !isFinite(message.floats[j]) ? String(message.floats[j]) : message.floats[j];
          }
          if (message.ints && message.ints.length) {
            object.ints = [];
            for (var j = 0; j < message.ints.length; ++j)
              if (typeof message.ints[j] === "number")
                object.ints[j] = options2.longs === String ? String(message.ints[j]) : message.ints[j];
              else
                object.ints[j] = options2.longs === String ? $util.Long.prototype.toString.call(message.ints[j]) : options2.longs === Number ? new $util.LongBits(message.ints[j].low >>> 0, message.ints[j].high >>> 0).toNumber() : message.ints[j];
          }
          if (message.strings && message.strings.length) {
            object.strings = [];
            for (var j = 0; j < message.strings.length; ++j)
              object.strings[j] = options2.bytes === String ? $util.base64.encode(message.strings[j], 0, message.strings[j].length) : options2.bytes === Array ? Array.prototype.slice.call(message.strings[j]) : message.strings[j];
          }
          if (message.tensors && message.tensors.length) {
            object.tensors = [];
            for (var j = 0; j < message.tensors.length; ++j)
              object.tensors[j] = $root.onnx.TensorProto.toObject(message.tensors[j], options2);
          }
          if (message.graphs && message.graphs.length) {
            object.graphs = [];
            for (var j = 0; j < message.graphs.length; ++j)
              object.graphs[j] = $root.onnx.GraphProto.toObject(message.graphs[j], options2);
          }
          if (message.docString != null && message.hasOwnProperty("docString"))
            object.docString = message.docString;
          if (message.tp != null && message.hasOwnProperty("tp"))
            object.tp = $root.onnx.TypeProto.toObject(message.tp, options2);
          if (message.typeProtos && message.typeProtos.length) {
            object.typeProtos = [];
            for (var j = 0; j < message.typeProtos.length; ++j)
              object.typeProtos[j] = $root.onnx.TypeProto.toObject(message.typeProtos[j], options2);
          }
          if (message.type != null && message.hasOwnProperty("type"))
            object.type = options2.enums === String ? $root.onnx.AttributeProto.AttributeType[message.type] : message.type;
          if (message.refAttrName != null && message.hasOwnProperty("refAttrName"))
            object.refAttrName = message.refAttrName;
          if (message.sparseTensor != null && message.hasOwnProperty("sparseTensor"))
            object.sparseTensor = $root.onnx.SparseTensorProto.toObject(message.sparseTensor, options2);
          if (message.sparseTensors && message.sparseTensors.length) {
            object.sparseTensors = [];
            for (var j = 0; j < message.sparseTensors.length; ++j)
              object.sparseTensors[j] = $root.onnx.SparseTensorProto.toObject(message.sparseTensors[j], options2);
          }
          return object;
        };
        AttributeProto.prototype.toJSON = function toJSON() {
          return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
        };
        AttributeProto.AttributeType = (function() {
          var valuesById = {}, values = Object.create(valuesById);
          values[valuesById[0] = "UNDEFINED"] = 0;
          values[valuesById[1] = "FLOAT"] = 1;
          values[valuesById[2] = "INT"] = 2;
          values[valuesById[3] = "STRING"] = 3;
          values[valuesById[4] = "TENSOR"] = 4;
          values[valuesById[5] = "GRAPH"] = 5;
          values[valuesById[11] = "SPARSE_TENSOR"] = 11;
          values[valuesById[13] = "TYPE_PROTO"] = 13;
          values[valuesById[6] = "FLOATS"] = 6;
          values[valuesById[7] = "INTS"] = 7;
          values[valuesById[8] = "STRINGS"] = 8;
          values[valuesById[9] = "TENSORS"] = 9;
          values[valuesById[10] = "GRAPHS"] = 10;
          values[valuesById[12] = "SPARSE_TENSORS"] = 12;
          values[valuesById[14] = "TYPE_PROTOS"] = 14;
          return values;
        })();
        return AttributeProto;
      })();
      onnx2.ValueInfoProto = (function() {
        function ValueInfoProto(properties) {
          if (properties) {
            for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
              if (properties[keys[i]] != null)
                this[keys[i]] = properties[keys[i]];
          }
        }
        ValueInfoProto.prototype.name = "";
        ValueInfoProto.prototype.type = null;
        ValueInfoProto.prototype.docString = "";
        ValueInfoProto.create = function create(properties) {
          return new ValueInfoProto(properties);
        };
        ValueInfoProto.encode = function encode(message, writer) {
          if (!writer)
            writer = $Writer.create();
          if (message.name != null && Object.hasOwnProperty.call(message, "name"))
            writer.uint32(
              /* id 1, wireType 2 =*/
              10
            ).string(message.name);
          if (message.type != null && Object.hasOwnProperty.call(message, "type"))
            $root.onnx.TypeProto.encode(message.type, writer.uint32(
              /* id 2, wireType 2 =*/
              18
            ).fork()).ldelim();
          if (message.docString != null && Object.hasOwnProperty.call(message, "docString"))
            writer.uint32(
              /* id 3, wireType 2 =*/
              26
            ).string(message.docString);
          return writer;
        };
        ValueInfoProto.encodeDelimited = function encodeDelimited(message, writer) {
          return this.encode(message, writer).ldelim();
        };
        ValueInfoProto.decode = function decode(reader, length) {
          if (!(reader instanceof $Reader))
            reader = $Reader.create(reader);
          var end = length === void 0 ? reader.len : reader.pos + length, message = new $root.onnx.ValueInfoProto();
          while (reader.pos < end) {
            var tag = reader.uint32();
            switch (tag >>> 3) {
              case 1:
                message.name = reader.string();
                break;
              case 2:
                message.type = $root.onnx.TypeProto.decode(reader, reader.uint32());
                break;
              case 3:
                message.docString = reader.string();
                break;
              default:
                reader.skipType(tag & 7);
                break;
            }
          }
          return message;
        };
        ValueInfoProto.decodeDelimited = function decodeDelimited(reader) {
          if (!(reader instanceof $Reader))
            reader = new $Reader(reader);
          return this.decode(reader, reader.uint32());
        };
        ValueInfoProto.verify = function verify(message) {
          if (typeof message !== "object" || message === null)
            return "object expected";
          if (message.name != null && message.hasOwnProperty("name")) {
            if (!$util.isString(message.name))
              return "name: string expected";
          }
          if (message.type != null && message.hasOwnProperty("type")) {
            var error = $root.onnx.TypeProto.verify(message.type);
            if (error)
              return "type." + error;
          }
          if (message.docString != null && message.hasOwnProperty("docString")) {
            if (!$util.isString(message.docString))
              return "docString: string expected";
          }
          return null;
        };
        ValueInfoProto.fromObject = function fromObject(object) {
          if (object instanceof $root.onnx.ValueInfoProto)
            return object;
          var message = new $root.onnx.ValueInfoProto();
          if (object.name != null)
            message.name = String(object.name);
          if (object.type != null) {
            if (typeof object.type !== "object")
              throw TypeError(".onnx.ValueInfoProto.type: object expected");
            message.type = $root.onnx.TypeProto.fromObject(object.type);
          }
          if (object.docString != null)
            message.docString = String(object.docString);
          return message;
        };
        ValueInfoProto.toObject = function toObject(message, options2) {
          if (!options2)
            options2 = {};
          var object = {};
          if (options2.defaults) {
            object.name = "";
            object.type = null;
            object.docString = "";
          }
          if (message.name != null && message.hasOwnProperty("name"))
            object.name = message.name;
          if (message.type != null && message.hasOwnProperty("type"))
            object.type = $root.onnx.TypeProto.toObject(message.type, options2);
          if (message.docString != null && message.hasOwnProperty("docString"))
            object.docString = message.docString;
          return object;
        };
        ValueInfoProto.prototype.toJSON = function toJSON() {
          return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
        };
        return ValueInfoProto;
      })();
      onnx2.NodeProto = (function() {
        function NodeProto(properties) {
          this.input = [];
          this.output = [];
          this.attribute = [];
          if (properties) {
            for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
              if (properties[keys[i]] != null)
                this[keys[i]] = properties[keys[i]];
          }
        }
        NodeProto.prototype.input = $util.emptyArray;
        NodeProto.prototype.output = $util.emptyArray;
        NodeProto.prototype.name = "";
        NodeProto.prototype.opType = "";
        NodeProto.prototype.domain = "";
        NodeProto.prototype.attribute = $util.emptyArray;
        NodeProto.prototype.docString = "";
        NodeProto.create = function create(properties) {
          return new NodeProto(properties);
        };
        NodeProto.encode = function encode(message, writer) {
          if (!writer)
            writer = $Writer.create();
          if (message.input != null && message.input.length)
            for (var i = 0; i < message.input.length; ++i)
              writer.uint32(
                /* id 1, wireType 2 =*/
                10
              ).string(message.input[i]);
          if (message.output != null && message.output.length)
            for (var i = 0; i < message.output.length; ++i)
              writer.uint32(
                /* id 2, wireType 2 =*/
                18
              ).string(message.output[i]);
          if (message.name != null && Object.hasOwnProperty.call(message, "name"))
            writer.uint32(
              /* id 3, wireType 2 =*/
              26
            ).string(message.name);
          if (message.opType != null && Object.hasOwnProperty.call(message, "opType"))
            writer.uint32(
              /* id 4, wireType 2 =*/
              34
            ).string(message.opType);
          if (message.attribute != null && message.attribute.length)
            for (var i = 0; i < message.attribute.length; ++i)
              $root.onnx.AttributeProto.encode(message.attribute[i], writer.uint32(
                /* id 5, wireType 2 =*/
                42
              ).fork()).ldelim();
          if (message.docString != null && Object.hasOwnProperty.call(message, "docString"))
            writer.uint32(
              /* id 6, wireType 2 =*/
              50
            ).string(message.docString);
          if (message.domain != null && Object.hasOwnProperty.call(message, "domain"))
            writer.uint32(
              /* id 7, wireType 2 =*/
              58
            ).string(message.domain);
          return writer;
        };
        NodeProto.encodeDelimited = function encodeDelimited(message, writer) {
          return this.encode(message, writer).ldelim();
        };
        NodeProto.decode = function decode(reader, length) {
          if (!(reader instanceof $Reader))
            reader = $Reader.create(reader);
          var end = length === void 0 ? reader.len : reader.pos + length, message = new $root.onnx.NodeProto();
          while (reader.pos < end) {
            var tag = reader.uint32();
            switch (tag >>> 3) {
              case 1:
                if (!(message.input && message.input.length))
                  message.input = [];
                message.input.push(reader.string());
                break;
              case 2:
                if (!(message.output && message.output.length))
                  message.output = [];
                message.output.push(reader.string());
                break;
              case 3:
                message.name = reader.string();
                break;
              case 4:
                message.opType = reader.string();
                break;
              case 7:
                message.domain = reader.string();
                break;
              case 5:
                if (!(message.attribute && message.attribute.length))
                  message.attribute = [];
                message.attribute.push($root.onnx.AttributeProto.decode(reader, reader.uint32()));
                break;
              case 6:
                message.docString = reader.string();
                break;
              default:
                reader.skipType(tag & 7);
                break;
            }
          }
          return message;
        };
        NodeProto.decodeDelimited = function decodeDelimited(reader) {
          if (!(reader instanceof $Reader))
            reader = new $Reader(reader);
          return this.decode(reader, reader.uint32());
        };
        NodeProto.verify = function verify(message) {
          if (typeof message !== "object" || message === null)
            return "object expected";
          if (message.input != null && message.hasOwnProperty("input")) {
            if (!Array.isArray(message.input))
              return "input: array expected";
            for (var i = 0; i < message.input.length; ++i)
              if (!$util.isString(message.input[i]))
                return "input: string[] expected";
          }
          if (message.output != null && message.hasOwnProperty("output")) {
            if (!Array.isArray(message.output))
              return "output: array expected";
            for (var i = 0; i < message.output.length; ++i)
              if (!$util.isString(message.output[i]))
                return "output: string[] expected";
          }
          if (message.name != null && message.hasOwnProperty("name")) {
            if (!$util.isString(message.name))
              return "name: string expected";
          }
          if (message.opType != null && message.hasOwnProperty("opType")) {
            if (!$util.isString(message.opType))
              return "opType: string expected";
          }
          if (message.domain != null && message.hasOwnProperty("domain")) {
            if (!$util.isString(message.domain))
              return "domain: string expected";
          }
          if (message.attribute != null && message.hasOwnProperty("attribute")) {
            if (!Array.isArray(message.attribute))
              return "attribute: array expected";
            for (var i = 0; i < message.attribute.length; ++i) {
              var error = $root.onnx.AttributeProto.verify(message.attribute[i]);
              if (error)
                return "attribute." + error;
            }
          }
          if (message.docString != null && message.hasOwnProperty("docString")) {
            if (!$util.isString(message.docString))
              return "docString: string expected";
          }
          return null;
        };
        NodeProto.fromObject = function fromObject(object) {
          if (object instanceof $root.onnx.NodeProto)
            return object;
          var message = new $root.onnx.NodeProto();
          if (object.input) {
            if (!Array.isArray(object.input))
              throw TypeError(".onnx.NodeProto.input: array expected");
            message.input = [];
            for (var i = 0; i < object.input.length; ++i)
              message.input[i] = String(object.input[i]);
          }
          if (object.output) {
            if (!Array.isArray(object.output))
              throw TypeError(".onnx.NodeProto.output: array expected");
            message.output = [];
            for (var i = 0; i < object.output.length; ++i)
              message.output[i] = String(object.output[i]);
          }
          if (object.name != null)
            message.name = String(object.name);
          if (object.opType != null)
            message.opType = String(object.opType);
          if (object.domain != null)
            message.domain = String(object.domain);
          if (object.attribute) {
            if (!Array.isArray(object.attribute))
              throw TypeError(".onnx.NodeProto.attribute: array expected");
            message.attribute = [];
            for (var i = 0; i < object.attribute.length; ++i) {
              if (typeof object.attribute[i] !== "object")
                throw TypeError(".onnx.NodeProto.attribute: object expected");
              message.attribute[i] = $root.onnx.AttributeProto.fromObject(object.attribute[i]);
            }
          }
          if (object.docString != null)
            message.docString = String(object.docString);
          return message;
        };
        NodeProto.toObject = function toObject(message, options2) {
          if (!options2)
            options2 = {};
          var object = {};
          if (options2.arrays || options2.defaults) {
            object.input = [];
            object.output = [];
            object.attribute = [];
          }
          if (options2.defaults) {
            object.name = "";
            object.opType = "";
            object.docString = "";
            object.domain = "";
          }
          if (message.input && message.input.length) {
            object.input = [];
            for (var j = 0; j < message.input.length; ++j)
              object.input[j] = message.input[j];
          }
          if (message.output && message.output.length) {
            object.output = [];
            for (var j = 0; j < message.output.length; ++j)
              object.output[j] = message.output[j];
          }
          if (message.name != null && message.hasOwnProperty("name"))
            object.name = message.name;
          if (message.opType != null && message.hasOwnProperty("opType"))
            object.opType = message.opType;
          if (message.attribute && message.attribute.length) {
            object.attribute = [];
            for (var j = 0; j < message.attribute.length; ++j)
              object.attribute[j] = $root.onnx.AttributeProto.toObject(message.attribute[j], options2);
          }
          if (message.docString != null && message.hasOwnProperty("docString"))
            object.docString = message.docString;
          if (message.domain != null && message.hasOwnProperty("domain"))
            object.domain = message.domain;
          return object;
        };
        NodeProto.prototype.toJSON = function toJSON() {
          return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
        };
        return NodeProto;
      })();
      onnx2.TrainingInfoProto = (function() {
        function TrainingInfoProto(properties) {
          this.initializationBinding = [];
          this.updateBinding = [];
          if (properties) {
            for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
              if (properties[keys[i]] != null)
                this[keys[i]] = properties[keys[i]];
          }
        }
        TrainingInfoProto.prototype.initialization = null;
        TrainingInfoProto.prototype.algorithm = null;
        TrainingInfoProto.prototype.initializationBinding = $util.emptyArray;
        TrainingInfoProto.prototype.updateBinding = $util.emptyArray;
        TrainingInfoProto.create = function create(properties) {
          return new TrainingInfoProto(properties);
        };
        TrainingInfoProto.encode = function encode(message, writer) {
          if (!writer)
            writer = $Writer.create();
          if (message.initialization != null && Object.hasOwnProperty.call(message, "initialization"))
            $root.onnx.GraphProto.encode(message.initialization, writer.uint32(
              /* id 1, wireType 2 =*/
              10
            ).fork()).ldelim();
          if (message.algorithm != null && Object.hasOwnProperty.call(message, "algorithm"))
            $root.onnx.GraphProto.encode(message.algorithm, writer.uint32(
              /* id 2, wireType 2 =*/
              18
            ).fork()).ldelim();
          if (message.initializationBinding != null && message.initializationBinding.length)
            for (var i = 0; i < message.initializationBinding.length; ++i)
              $root.onnx.StringStringEntryProto.encode(message.initializationBinding[i], writer.uint32(
                /* id 3, wireType 2 =*/
                26
              ).fork()).ldelim();
          if (message.updateBinding != null && message.updateBinding.length)
            for (var i = 0; i < message.updateBinding.length; ++i)
              $root.onnx.StringStringEntryProto.encode(message.updateBinding[i], writer.uint32(
                /* id 4, wireType 2 =*/
                34
              ).fork()).ldelim();
          return writer;
        };
        TrainingInfoProto.encodeDelimited = function encodeDelimited(message, writer) {
          return this.encode(message, writer).ldelim();
        };
        TrainingInfoProto.decode = function decode(reader, length) {
          if (!(reader instanceof $Reader))
            reader = $Reader.create(reader);
          var end = length === void 0 ? reader.len : reader.pos + length, message = new $root.onnx.TrainingInfoProto();
          while (reader.pos < end) {
            var tag = reader.uint32();
            switch (tag >>> 3) {
              case 1:
                message.initialization = $root.onnx.GraphProto.decode(reader, reader.uint32());
                break;
              case 2:
                message.algorithm = $root.onnx.GraphProto.decode(reader, reader.uint32());
                break;
              case 3:
                if (!(message.initializationBinding && message.initializationBinding.length))
                  message.initializationBinding = [];
                message.initializationBinding.push($root.onnx.StringStringEntryProto.decode(reader, reader.uint32()));
                break;
              case 4:
                if (!(message.updateBinding && message.updateBinding.length))
                  message.updateBinding = [];
                message.updateBinding.push($root.onnx.StringStringEntryProto.decode(reader, reader.uint32()));
                break;
              default:
                reader.skipType(tag & 7);
                break;
            }
          }
          return message;
        };
        TrainingInfoProto.decodeDelimited = function decodeDelimited(reader) {
          if (!(reader instanceof $Reader))
            reader = new $Reader(reader);
          return this.decode(reader, reader.uint32());
        };
        TrainingInfoProto.verify = function verify(message) {
          if (typeof message !== "object" || message === null)
            return "object expected";
          if (message.initialization != null && message.hasOwnProperty("initialization")) {
            var error = $root.onnx.GraphProto.verify(message.initialization);
            if (error)
              return "initialization." + error;
          }
          if (message.algorithm != null && message.hasOwnProperty("algorithm")) {
            var error = $root.onnx.GraphProto.verify(message.algorithm);
            if (error)
              return "algorithm." + error;
          }
          if (message.initializationBinding != null && message.hasOwnProperty("initializationBinding")) {
            if (!Array.isArray(message.initializationBinding))
              return "initializationBinding: array expected";
            for (var i = 0; i < message.initializationBinding.length; ++i) {
              var error = $root.onnx.StringStringEntryProto.verify(message.initializationBinding[i]);
              if (error)
                return "initializationBinding." + error;
            }
          }
          if (message.updateBinding != null && message.hasOwnProperty("updateBinding")) {
            if (!Array.isArray(message.updateBinding))
              return "updateBinding: array expected";
            for (var i = 0; i < message.updateBinding.length; ++i) {
              var error = $root.onnx.StringStringEntryProto.verify(message.updateBinding[i]);
              if (error)
                return "updateBinding." + error;
            }
          }
          return null;
        };
        TrainingInfoProto.fromObject = function fromObject(object) {
          if (object instanceof $root.onnx.TrainingInfoProto)
            return object;
          var message = new $root.onnx.TrainingInfoProto();
          if (object.initialization != null) {
            if (typeof object.initialization !== "object")
              throw TypeError(".onnx.TrainingInfoProto.initialization: object expected");
            message.initialization = $root.onnx.GraphProto.fromObject(object.initialization);
          }
          if (object.algorithm != null) {
            if (typeof object.algorithm !== "object")
              throw TypeError(".onnx.TrainingInfoProto.algorithm: object expected");
            message.algorithm = $root.onnx.GraphProto.fromObject(object.algorithm);
          }
          if (object.initializationBinding) {
            if (!Array.isArray(object.initializationBinding))
              throw TypeError(".onnx.TrainingInfoProto.initializationBinding: array expected");
            message.initializationBinding = [];
            for (var i = 0; i < object.initializationBinding.length; ++i) {
              if (typeof object.initializationBinding[i] !== "object")
                throw TypeError(".onnx.TrainingInfoProto.initializationBinding: object expected");
              message.initializationBinding[i] = $root.onnx.StringStringEntryProto.fromObject(object.initializationBinding[i]);
            }
          }
          if (object.updateBinding) {
            if (!Array.isArray(object.updateBinding))
              throw TypeError(".onnx.TrainingInfoProto.updateBinding: array expected");
            message.updateBinding = [];
            for (var i = 0; i < object.updateBinding.length; ++i) {
              if (typeof object.updateBinding[i] !== "object")
                throw TypeError(".onnx.TrainingInfoProto.updateBinding: object expected");
              message.updateBinding[i] = $root.onnx.StringStringEntryProto.fromObject(object.updateBinding[i]);
            }
          }
          return message;
        };
        TrainingInfoProto.toObject = function toObject(message, options2) {
          if (!options2)
            options2 = {};
          var object = {};
          if (options2.arrays || options2.defaults) {
            object.initializationBinding = [];
            object.updateBinding = [];
          }
          if (options2.defaults) {
            object.initialization = null;
            object.algorithm = null;
          }
          if (message.initialization != null && message.hasOwnProperty("initialization"))
            object.initialization = $root.onnx.GraphProto.toObject(message.initialization, options2);
          if (message.algorithm != null && message.hasOwnProperty("algorithm"))
            object.algorithm = $root.onnx.GraphProto.toObject(message.algorithm, options2);
          if (message.initializationBinding && message.initializationBinding.length) {
            object.initializationBinding = [];
            for (var j = 0; j < message.initializationBinding.length; ++j)
              object.initializationBinding[j] = $root.onnx.StringStringEntryProto.toObject(message.initializationBinding[j], options2);
          }
          if (message.updateBinding && message.updateBinding.length) {
            object.updateBinding = [];
            for (var j = 0; j < message.updateBinding.length; ++j)
              object.updateBinding[j] = $root.onnx.StringStringEntryProto.toObject(message.updateBinding[j], options2);
          }
          return object;
        };
        TrainingInfoProto.prototype.toJSON = function toJSON() {
          return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
        };
        return TrainingInfoProto;
      })();
      onnx2.ModelProto = (function() {
        function ModelProto(properties) {
          this.opsetImport = [];
          this.metadataProps = [];
          this.trainingInfo = [];
          this.functions = [];
          if (properties) {
            for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
              if (properties[keys[i]] != null)
                this[keys[i]] = properties[keys[i]];
          }
        }
        ModelProto.prototype.irVersion = $util.Long ? $util.Long.fromBits(0, 0, false) : 0;
        ModelProto.prototype.opsetImport = $util.emptyArray;
        ModelProto.prototype.producerName = "";
        ModelProto.prototype.producerVersion = "";
        ModelProto.prototype.domain = "";
        ModelProto.prototype.modelVersion = $util.Long ? $util.Long.fromBits(0, 0, false) : 0;
        ModelProto.prototype.docString = "";
        ModelProto.prototype.graph = null;
        ModelProto.prototype.metadataProps = $util.emptyArray;
        ModelProto.prototype.trainingInfo = $util.emptyArray;
        ModelProto.prototype.functions = $util.emptyArray;
        ModelProto.create = function create(properties) {
          return new ModelProto(properties);
        };
        ModelProto.encode = function encode(message, writer) {
          if (!writer)
            writer = $Writer.create();
          if (message.irVersion != null && Object.hasOwnProperty.call(message, "irVersion"))
            writer.uint32(
              /* id 1, wireType 0 =*/
              8
            ).int64(message.irVersion);
          if (message.producerName != null && Object.hasOwnProperty.call(message, "producerName"))
            writer.uint32(
              /* id 2, wireType 2 =*/
              18
            ).string(message.producerName);
          if (message.producerVersion != null && Object.hasOwnProperty.call(message, "producerVersion"))
            writer.uint32(
              /* id 3, wireType 2 =*/
              26
            ).string(message.producerVersion);
          if (message.domain != null && Object.hasOwnProperty.call(message, "domain"))
            writer.uint32(
              /* id 4, wireType 2 =*/
              34
            ).string(message.domain);
          if (message.modelVersion != null && Object.hasOwnProperty.call(message, "modelVersion"))
            writer.uint32(
              /* id 5, wireType 0 =*/
              40
            ).int64(message.modelVersion);
          if (message.docString != null && Object.hasOwnProperty.call(message, "docString"))
            writer.uint32(
              /* id 6, wireType 2 =*/
              50
            ).string(message.docString);
          if (message.graph != null && Object.hasOwnProperty.call(message, "graph"))
            $root.onnx.GraphProto.encode(message.graph, writer.uint32(
              /* id 7, wireType 2 =*/
              58
            ).fork()).ldelim();
          if (message.opsetImport != null && message.opsetImport.length)
            for (var i = 0; i < message.opsetImport.length; ++i)
              $root.onnx.OperatorSetIdProto.encode(message.opsetImport[i], writer.uint32(
                /* id 8, wireType 2 =*/
                66
              ).fork()).ldelim();
          if (message.metadataProps != null && message.metadataProps.length)
            for (var i = 0; i < message.metadataProps.length; ++i)
              $root.onnx.StringStringEntryProto.encode(message.metadataProps[i], writer.uint32(
                /* id 14, wireType 2 =*/
                114
              ).fork()).ldelim();
          if (message.trainingInfo != null && message.trainingInfo.length)
            for (var i = 0; i < message.trainingInfo.length; ++i)
              $root.onnx.TrainingInfoProto.encode(message.trainingInfo[i], writer.uint32(
                /* id 20, wireType 2 =*/
                162
              ).fork()).ldelim();
          if (message.functions != null && message.functions.length)
            for (var i = 0; i < message.functions.length; ++i)
              $root.onnx.FunctionProto.encode(message.functions[i], writer.uint32(
                /* id 25, wireType 2 =*/
                202
              ).fork()).ldelim();
          return writer;
        };
        ModelProto.encodeDelimited = function encodeDelimited(message, writer) {
          return this.encode(message, writer).ldelim();
        };
        ModelProto.decode = function decode(reader, length) {
          if (!(reader instanceof $Reader))
            reader = $Reader.create(reader);
          var end = length === void 0 ? reader.len : reader.pos + length, message = new $root.onnx.ModelProto();
          while (reader.pos < end) {
            var tag = reader.uint32();
            switch (tag >>> 3) {
              case 1:
                message.irVersion = reader.int64();
                break;
              case 8:
                if (!(message.opsetImport && message.opsetImport.length))
                  message.opsetImport = [];
                message.opsetImport.push($root.onnx.OperatorSetIdProto.decode(reader, reader.uint32()));
                break;
              case 2:
                message.producerName = reader.string();
                break;
              case 3:
                message.producerVersion = reader.string();
                break;
              case 4:
                message.domain = reader.string();
                break;
              case 5:
                message.modelVersion = reader.int64();
                break;
              case 6:
                message.docString = reader.string();
                break;
              case 7:
                message.graph = $root.onnx.GraphProto.decode(reader, reader.uint32());
                break;
              case 14:
                if (!(message.metadataProps && message.metadataProps.length))
                  message.metadataProps = [];
                message.metadataProps.push($root.onnx.StringStringEntryProto.decode(reader, reader.uint32()));
                break;
              case 20:
                if (!(message.trainingInfo && message.trainingInfo.length))
                  message.trainingInfo = [];
                message.trainingInfo.push($root.onnx.TrainingInfoProto.decode(reader, reader.uint32()));
                break;
              case 25:
                if (!(message.functions && message.functions.length))
                  message.functions = [];
                message.functions.push($root.onnx.FunctionProto.decode(reader, reader.uint32()));
                break;
              default:
                reader.skipType(tag & 7);
                break;
            }
          }
          return message;
        };
        ModelProto.decodeDelimited = function decodeDelimited(reader) {
          if (!(reader instanceof $Reader))
            reader = new $Reader(reader);
          return this.decode(reader, reader.uint32());
        };
        ModelProto.verify = function verify(message) {
          if (typeof message !== "object" || message === null)
            return "object expected";
          if (message.irVersion != null && message.hasOwnProperty("irVersion")) {
            if (!$util.isInteger(message.irVersion) && !(message.irVersion && $util.isInteger(message.irVersion.low) && $util.isInteger(message.irVersion.high)))
              return "irVersion: integer|Long expected";
          }
          if (message.opsetImport != null && message.hasOwnProperty("opsetImport")) {
            if (!Array.isArray(message.opsetImport))
              return "opsetImport: array expected";
            for (var i = 0; i < message.opsetImport.length; ++i) {
              var error = $root.onnx.OperatorSetIdProto.verify(message.opsetImport[i]);
              if (error)
                return "opsetImport." + error;
            }
          }
          if (message.producerName != null && message.hasOwnProperty("producerName")) {
            if (!$util.isString(message.producerName))
              return "producerName: string expected";
          }
          if (message.producerVersion != null && message.hasOwnProperty("producerVersion")) {
            if (!$util.isString(message.producerVersion))
              return "producerVersion: string expected";
          }
          if (message.domain != null && message.hasOwnProperty("domain")) {
            if (!$util.isString(message.domain))
              return "domain: string expected";
          }
          if (message.modelVersion != null && message.hasOwnProperty("modelVersion")) {
            if (!$util.isInteger(message.modelVersion) && !(message.modelVersion && $util.isInteger(message.modelVersion.low) && $util.isInteger(message.modelVersion.high)))
              return "modelVersion: integer|Long expected";
          }
          if (message.docString != null && message.hasOwnProperty("docString")) {
            if (!$util.isString(message.docString))
              return "docString: string expected";
          }
          if (message.graph != null && message.hasOwnProperty("graph")) {
            var error = $root.onnx.GraphProto.verify(message.graph);
            if (error)
              return "graph." + error;
          }
          if (message.metadataProps != null && message.hasOwnProperty("metadataProps")) {
            if (!Array.isArray(message.metadataProps))
              return "metadataProps: array expected";
            for (var i = 0; i < message.metadataProps.length; ++i) {
              var error = $root.onnx.StringStringEntryProto.verify(message.metadataProps[i]);
              if (error)
                return "metadataProps." + error;
            }
          }
          if (message.trainingInfo != null && message.hasOwnProperty("trainingInfo")) {
            if (!Array.isArray(message.trainingInfo))
              return "trainingInfo: array expected";
            for (var i = 0; i < message.trainingInfo.length; ++i) {
              var error = $root.onnx.TrainingInfoProto.verify(message.trainingInfo[i]);
              if (error)
                return "trainingInfo." + error;
            }
          }
          if (message.functions != null && message.hasOwnProperty("functions")) {
            if (!Array.isArray(message.functions))
              return "functions: array expected";
            for (var i = 0; i < message.functions.length; ++i) {
              var error = $root.onnx.FunctionProto.verify(message.functions[i]);
              if (error)
                return "functions." + error;
            }
          }
          return null;
        };
        ModelProto.fromObject = function fromObject(object) {
          if (object instanceof $root.onnx.ModelProto)
            return object;
          var message = new $root.onnx.ModelProto();
          if (object.irVersion != null) {
            if ($util.Long)
              (message.irVersion = $util.Long.fromValue(object.irVersion)).unsigned = false;
            else if (typeof object.irVersion === "string")
              message.irVersion = parseInt(object.irVersion, 10);
            else if (typeof object.irVersion === "number")
              message.irVersion = object.irVersion;
            else if (typeof object.irVersion === "object")
              message.irVersion = new $util.LongBits(object.irVersion.low >>> 0, object.irVersion.high >>> 0).toNumber();
          }
          if (object.opsetImport) {
            if (!Array.isArray(object.opsetImport))
              throw TypeError(".onnx.ModelProto.opsetImport: array expected");
            message.opsetImport = [];
            for (var i = 0; i < object.opsetImport.length; ++i) {
              if (typeof object.opsetImport[i] !== "object")
                throw TypeError(".onnx.ModelProto.opsetImport: object expected");
              message.opsetImport[i] = $root.onnx.OperatorSetIdProto.fromObject(object.opsetImport[i]);
            }
          }
          if (object.producerName != null)
            message.producerName = String(object.producerName);
          if (object.producerVersion != null)
            message.producerVersion = String(object.producerVersion);
          if (object.domain != null)
            message.domain = String(object.domain);
          if (object.modelVersion != null) {
            if ($util.Long)
              (message.modelVersion = $util.Long.fromValue(object.modelVersion)).unsigned = false;
            else if (typeof object.modelVersion === "string")
              message.modelVersion = parseInt(object.modelVersion, 10);
            else if (typeof object.modelVersion === "number")
              message.modelVersion = object.modelVersion;
            else if (typeof object.modelVersion === "object")
              message.modelVersion = new $util.LongBits(object.modelVersion.low >>> 0, object.modelVersion.high >>> 0).toNumber();
          }
          if (object.docString != null)
            message.docString = String(object.docString);
          if (object.graph != null) {
            if (typeof object.graph !== "object")
              throw TypeError(".onnx.ModelProto.graph: object expected");
            message.graph = $root.onnx.GraphProto.fromObject(object.graph);
          }
          if (object.metadataProps) {
            if (!Array.isArray(object.metadataProps))
              throw TypeError(".onnx.ModelProto.metadataProps: array expected");
            message.metadataProps = [];
            for (var i = 0; i < object.metadataProps.length; ++i) {
              if (typeof object.metadataProps[i] !== "object")
                throw TypeError(".onnx.ModelProto.metadataProps: object expected");
              message.metadataProps[i] = $root.onnx.StringStringEntryProto.fromObject(object.metadataProps[i]);
            }
          }
          if (object.trainingInfo) {
            if (!Array.isArray(object.trainingInfo))
              throw TypeError(".onnx.ModelProto.trainingInfo: array expected");
            message.trainingInfo = [];
            for (var i = 0; i < object.trainingInfo.length; ++i) {
              if (typeof object.trainingInfo[i] !== "object")
                throw TypeError(".onnx.ModelProto.trainingInfo: object expected");
              message.trainingInfo[i] = $root.onnx.TrainingInfoProto.fromObject(object.trainingInfo[i]);
            }
          }
          if (object.functions) {
            if (!Array.isArray(object.functions))
              throw TypeError(".onnx.ModelProto.functions: array expected");
            message.functions = [];
            for (var i = 0; i < object.functions.length; ++i) {
              if (typeof object.functions[i] !== "object")
                throw TypeError(".onnx.ModelProto.functions: object expected");
              message.functions[i] = $root.onnx.FunctionProto.fromObject(object.functions[i]);
            }
          }
          return message;
        };
        ModelProto.toObject = function toObject(message, options2) {
          if (!options2)
            options2 = {};
          var object = {};
          if (options2.arrays || options2.defaults) {
            object.opsetImport = [];
            object.metadataProps = [];
            object.trainingInfo = [];
            object.functions = [];
          }
          if (options2.defaults) {
            if ($util.Long) {
              var long = new $util.Long(0, 0, false);
              object.irVersion = options2.longs === String ? long.toString() : options2.longs === Number ? long.toNumber() : long;
            } else
              object.irVersion = options2.longs === String ? "0" : 0;
            object.producerName = "";
            object.producerVersion = "";
            object.domain = "";
            if ($util.Long) {
              var long = new $util.Long(0, 0, false);
              object.modelVersion = options2.longs === String ? long.toString() : options2.longs === Number ? long.toNumber() : long;
            } else
              object.modelVersion = options2.longs === String ? "0" : 0;
            object.docString = "";
            object.graph = null;
          }
          if (message.irVersion != null && message.hasOwnProperty("irVersion"))
            if (typeof message.irVersion === "number")
              object.irVersion = options2.longs === String ? String(message.irVersion) : message.irVersion;
            else
              object.irVersion = options2.longs === String ? $util.Long.prototype.toString.call(message.irVersion) : options2.longs === Number ? new $util.LongBits(message.irVersion.low >>> 0, message.irVersion.high >>> 0).toNumber() : message.irVersion;
          if (message.producerName != null && message.hasOwnProperty("producerName"))
            object.producerName = message.producerName;
          if (message.producerVersion != null && message.hasOwnProperty("producerVersion"))
            object.producerVersion = message.producerVersion;
          if (message.domain != null && message.hasOwnProperty("domain"))
            object.domain = message.domain;
          if (message.modelVersion != null && message.hasOwnProperty("modelVersion"))
            if (typeof message.modelVersion === "number")
              object.modelVersion = options2.longs === String ? String(message.modelVersion) : message.modelVersion;
            else
              object.modelVersion = options2.longs === String ? $util.Long.prototype.toString.call(message.modelVersion) : options2.longs === Number ? new $util.LongBits(message.modelVersion.low >>> 0, message.modelVersion.high >>> 0).toNumber() : message.modelVersion;
          if (message.docString != null && message.hasOwnProperty("docString"))
            object.docString = message.docString;
          if (message.graph != null && message.hasOwnProperty("graph"))
            object.graph = $root.onnx.GraphProto.toObject(message.graph, options2);
          if (message.opsetImport && message.opsetImport.length) {
            object.opsetImport = [];
            for (var j = 0; j < message.opsetImport.length; ++j)
              object.opsetImport[j] = $root.onnx.OperatorSetIdProto.toObject(message.opsetImport[j], options2);
          }
          if (message.metadataProps && message.metadataProps.length) {
            object.metadataProps = [];
            for (var j = 0; j < message.metadataProps.length; ++j)
              object.metadataProps[j] = $root.onnx.StringStringEntryProto.toObject(message.metadataProps[j], options2);
          }
          if (message.trainingInfo && message.trainingInfo.length) {
            object.trainingInfo = [];
            for (var j = 0; j < message.trainingInfo.length; ++j)
              object.trainingInfo[j] = $root.onnx.TrainingInfoProto.toObject(message.trainingInfo[j], options2);
          }
          if (message.functions && message.functions.length) {
            object.functions = [];
            for (var j = 0; j < message.functions.length; ++j)
              object.functions[j] = $root.onnx.FunctionProto.toObject(message.functions[j], options2);
          }
          return object;
        };
        ModelProto.prototype.toJSON = function toJSON() {
          return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
        };
        return ModelProto;
      })();
      onnx2.StringStringEntryProto = (function() {
        function StringStringEntryProto(properties) {
          if (properties) {
            for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
              if (properties[keys[i]] != null)
                this[keys[i]] = properties[keys[i]];
          }
        }
        StringStringEntryProto.prototype.key = "";
        StringStringEntryProto.prototype.value = "";
        StringStringEntryProto.create = function create(properties) {
          return new StringStringEntryProto(properties);
        };
        StringStringEntryProto.encode = function encode(message, writer) {
          if (!writer)
            writer = $Writer.create();
          if (message.key != null && Object.hasOwnProperty.call(message, "key"))
            writer.uint32(
              /* id 1, wireType 2 =*/
              10
            ).string(message.key);
          if (message.value != null && Object.hasOwnProperty.call(message, "value"))
            writer.uint32(
              /* id 2, wireType 2 =*/
              18
            ).string(message.value);
          return writer;
        };
        StringStringEntryProto.encodeDelimited = function encodeDelimited(message, writer) {
          return this.encode(message, writer).ldelim();
        };
        StringStringEntryProto.decode = function decode(reader, length) {
          if (!(reader instanceof $Reader))
            reader = $Reader.create(reader);
          var end = length === void 0 ? reader.len : reader.pos + length, message = new $root.onnx.StringStringEntryProto();
          while (reader.pos < end) {
            var tag = reader.uint32();
            switch (tag >>> 3) {
              case 1:
                message.key = reader.string();
                break;
              case 2:
                message.value = reader.string();
                break;
              default:
                reader.skipType(tag & 7);
                break;
            }
          }
          return message;
        };
        StringStringEntryProto.decodeDelimited = function decodeDelimited(reader) {
          if (!(reader instanceof $Reader))
            reader = new $Reader(reader);
          return this.decode(reader, reader.uint32());
        };
        StringStringEntryProto.verify = function verify(message) {
          if (typeof message !== "object" || message === null)
            return "object expected";
          if (message.key != null && message.hasOwnProperty("key")) {
            if (!$util.isString(message.key))
              return "key: string expected";
          }
          if (message.value != null && message.hasOwnProperty("value")) {
            if (!$util.isString(message.value))
              return "value: string expected";
          }
          return null;
        };
        StringStringEntryProto.fromObject = function fromObject(object) {
          if (object instanceof $root.onnx.StringStringEntryProto)
            return object;
          var message = new $root.onnx.StringStringEntryProto();
          if (object.key != null)
            message.key = String(object.key);
          if (object.value != null)
            message.value = String(object.value);
          return message;
        };
        StringStringEntryProto.toObject = function toObject(message, options2) {
          if (!options2)
            options2 = {};
          var object = {};
          if (options2.defaults) {
            object.key = "";
            object.value = "";
          }
          if (message.key != null && message.hasOwnProperty("key"))
            object.key = message.key;
          if (message.value != null && message.hasOwnProperty("value"))
            object.value = message.value;
          return object;
        };
        StringStringEntryProto.prototype.toJSON = function toJSON() {
          return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
        };
        return StringStringEntryProto;
      })();
      onnx2.TensorAnnotation = (function() {
        function TensorAnnotation(properties) {
          this.quantParameterTensorNames = [];
          if (properties) {
            for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
              if (properties[keys[i]] != null)
                this[keys[i]] = properties[keys[i]];
          }
        }
        TensorAnnotation.prototype.tensorName = "";
        TensorAnnotation.prototype.quantParameterTensorNames = $util.emptyArray;
        TensorAnnotation.create = function create(properties) {
          return new TensorAnnotation(properties);
        };
        TensorAnnotation.encode = function encode(message, writer) {
          if (!writer)
            writer = $Writer.create();
          if (message.tensorName != null && Object.hasOwnProperty.call(message, "tensorName"))
            writer.uint32(
              /* id 1, wireType 2 =*/
              10
            ).string(message.tensorName);
          if (message.quantParameterTensorNames != null && message.quantParameterTensorNames.length)
            for (var i = 0; i < message.quantParameterTensorNames.length; ++i)
              $root.onnx.StringStringEntryProto.encode(message.quantParameterTensorNames[i], writer.uint32(
                /* id 2, wireType 2 =*/
                18
              ).fork()).ldelim();
          return writer;
        };
        TensorAnnotation.encodeDelimited = function encodeDelimited(message, writer) {
          return this.encode(message, writer).ldelim();
        };
        TensorAnnotation.decode = function decode(reader, length) {
          if (!(reader instanceof $Reader))
            reader = $Reader.create(reader);
          var end = length === void 0 ? reader.len : reader.pos + length, message = new $root.onnx.TensorAnnotation();
          while (reader.pos < end) {
            var tag = reader.uint32();
            switch (tag >>> 3) {
              case 1:
                message.tensorName = reader.string();
                break;
              case 2:
                if (!(message.quantParameterTensorNames && message.quantParameterTensorNames.length))
                  message.quantParameterTensorNames = [];
                message.quantParameterTensorNames.push($root.onnx.StringStringEntryProto.decode(reader, reader.uint32()));
                break;
              default:
                reader.skipType(tag & 7);
                break;
            }
          }
          return message;
        };
        TensorAnnotation.decodeDelimited = function decodeDelimited(reader) {
          if (!(reader instanceof $Reader))
            reader = new $Reader(reader);
          return this.decode(reader, reader.uint32());
        };
        TensorAnnotation.verify = function verify(message) {
          if (typeof message !== "object" || message === null)
            return "object expected";
          if (message.tensorName != null && message.hasOwnProperty("tensorName")) {
            if (!$util.isString(message.tensorName))
              return "tensorName: string expected";
          }
          if (message.quantParameterTensorNames != null && message.hasOwnProperty("quantParameterTensorNames")) {
            if (!Array.isArray(message.quantParameterTensorNames))
              return "quantParameterTensorNames: array expected";
            for (var i = 0; i < message.quantParameterTensorNames.length; ++i) {
              var error = $root.onnx.StringStringEntryProto.verify(message.quantParameterTensorNames[i]);
              if (error)
                return "quantParameterTensorNames." + error;
            }
          }
          return null;
        };
        TensorAnnotation.fromObject = function fromObject(object) {
          if (object instanceof $root.onnx.TensorAnnotation)
            return object;
          var message = new $root.onnx.TensorAnnotation();
          if (object.tensorName != null)
            message.tensorName = String(object.tensorName);
          if (object.quantParameterTensorNames) {
            if (!Array.isArray(object.quantParameterTensorNames))
              throw TypeError(".onnx.TensorAnnotation.quantParameterTensorNames: array expected");
            message.quantParameterTensorNames = [];
            for (var i = 0; i < object.quantParameterTensorNames.length; ++i) {
              if (typeof object.quantParameterTensorNames[i] !== "object")
                throw TypeError(".onnx.TensorAnnotation.quantParameterTensorNames: object expected");
              message.quantParameterTensorNames[i] = $root.onnx.StringStringEntryProto.fromObject(object.quantParameterTensorNames[i]);
            }
          }
          return message;
        };
        TensorAnnotation.toObject = function toObject(message, options2) {
          if (!options2)
            options2 = {};
          var object = {};
          if (options2.arrays || options2.defaults)
            object.quantParameterTensorNames = [];
          if (options2.defaults)
            object.tensorName = "";
          if (message.tensorName != null && message.hasOwnProperty("tensorName"))
            object.tensorName = message.tensorName;
          if (message.quantParameterTensorNames && message.quantParameterTensorNames.length) {
            object.quantParameterTensorNames = [];
            for (var j = 0; j < message.quantParameterTensorNames.length; ++j)
              object.quantParameterTensorNames[j] = $root.onnx.StringStringEntryProto.toObject(message.quantParameterTensorNames[j], options2);
          }
          return object;
        };
        TensorAnnotation.prototype.toJSON = function toJSON() {
          return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
        };
        return TensorAnnotation;
      })();
      onnx2.GraphProto = (function() {
        function GraphProto(properties) {
          this.node = [];
          this.initializer = [];
          this.sparseInitializer = [];
          this.input = [];
          this.output = [];
          this.valueInfo = [];
          this.quantizationAnnotation = [];
          if (properties) {
            for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
              if (properties[keys[i]] != null)
                this[keys[i]] = properties[keys[i]];
          }
        }
        GraphProto.prototype.node = $util.emptyArray;
        GraphProto.prototype.name = "";
        GraphProto.prototype.initializer = $util.emptyArray;
        GraphProto.prototype.sparseInitializer = $util.emptyArray;
        GraphProto.prototype.docString = "";
        GraphProto.prototype.input = $util.emptyArray;
        GraphProto.prototype.output = $util.emptyArray;
        GraphProto.prototype.valueInfo = $util.emptyArray;
        GraphProto.prototype.quantizationAnnotation = $util.emptyArray;
        GraphProto.create = function create(properties) {
          return new GraphProto(properties);
        };
        GraphProto.encode = function encode(message, writer) {
          if (!writer)
            writer = $Writer.create();
          if (message.node != null && message.node.length)
            for (var i = 0; i < message.node.length; ++i)
              $root.onnx.NodeProto.encode(message.node[i], writer.uint32(
                /* id 1, wireType 2 =*/
                10
              ).fork()).ldelim();
          if (message.name != null && Object.hasOwnProperty.call(message, "name"))
            writer.uint32(
              /* id 2, wireType 2 =*/
              18
            ).string(message.name);
          if (message.initializer != null && message.initializer.length)
            for (var i = 0; i < message.initializer.length; ++i)
              $root.onnx.TensorProto.encode(message.initializer[i], writer.uint32(
                /* id 5, wireType 2 =*/
                42
              ).fork()).ldelim();
          if (message.docString != null && Object.hasOwnProperty.call(message, "docString"))
            writer.uint32(
              /* id 10, wireType 2 =*/
              82
            ).string(message.docString);
          if (message.input != null && message.input.length)
            for (var i = 0; i < message.input.length; ++i)
              $root.onnx.ValueInfoProto.encode(message.input[i], writer.uint32(
                /* id 11, wireType 2 =*/
                90
              ).fork()).ldelim();
          if (message.output != null && message.output.length)
            for (var i = 0; i < message.output.length; ++i)
              $root.onnx.ValueInfoProto.encode(message.output[i], writer.uint32(
                /* id 12, wireType 2 =*/
                98
              ).fork()).ldelim();
          if (message.valueInfo != null && message.valueInfo.length)
            for (var i = 0; i < message.valueInfo.length; ++i)
              $root.onnx.ValueInfoProto.encode(message.valueInfo[i], writer.uint32(
                /* id 13, wireType 2 =*/
                106
              ).fork()).ldelim();
          if (message.quantizationAnnotation != null && message.quantizationAnnotation.length)
            for (var i = 0; i < message.quantizationAnnotation.length; ++i)
              $root.onnx.TensorAnnotation.encode(message.quantizationAnnotation[i], writer.uint32(
                /* id 14, wireType 2 =*/
                114
              ).fork()).ldelim();
          if (message.sparseInitializer != null && message.sparseInitializer.length)
            for (var i = 0; i < message.sparseInitializer.length; ++i)
              $root.onnx.SparseTensorProto.encode(message.sparseInitializer[i], writer.uint32(
                /* id 15, wireType 2 =*/
                122
              ).fork()).ldelim();
          return writer;
        };
        GraphProto.encodeDelimited = function encodeDelimited(message, writer) {
          return this.encode(message, writer).ldelim();
        };
        GraphProto.decode = function decode(reader, length) {
          if (!(reader instanceof $Reader))
            reader = $Reader.create(reader);
          var end = length === void 0 ? reader.len : reader.pos + length, message = new $root.onnx.GraphProto();
          while (reader.pos < end) {
            var tag = reader.uint32();
            switch (tag >>> 3) {
              case 1:
                if (!(message.node && message.node.length))
                  message.node = [];
                message.node.push($root.onnx.NodeProto.decode(reader, reader.uint32()));
                break;
              case 2:
                message.name = reader.string();
                break;
              case 5:
                if (!(message.initializer && message.initializer.length))
                  message.initializer = [];
                message.initializer.push($root.onnx.TensorProto.decode(reader, reader.uint32()));
                break;
              case 15:
                if (!(message.sparseInitializer && message.sparseInitializer.length))
                  message.sparseInitializer = [];
                message.sparseInitializer.push($root.onnx.SparseTensorProto.decode(reader, reader.uint32()));
                break;
              case 10:
                message.docString = reader.string();
                break;
              case 11:
                if (!(message.input && message.input.length))
                  message.input = [];
                message.input.push($root.onnx.ValueInfoProto.decode(reader, reader.uint32()));
                break;
              case 12:
                if (!(message.output && message.output.length))
                  message.output = [];
                message.output.push($root.onnx.ValueInfoProto.decode(reader, reader.uint32()));
                break;
              case 13:
                if (!(message.valueInfo && message.valueInfo.length))
                  message.valueInfo = [];
                message.valueInfo.push($root.onnx.ValueInfoProto.decode(reader, reader.uint32()));
                break;
              case 14:
                if (!(message.quantizationAnnotation && message.quantizationAnnotation.length))
                  message.quantizationAnnotation = [];
                message.quantizationAnnotation.push($root.onnx.TensorAnnotation.decode(reader, reader.uint32()));
                break;
              default:
                reader.skipType(tag & 7);
                break;
            }
          }
          return message;
        };
        GraphProto.decodeDelimited = function decodeDelimited(reader) {
          if (!(reader instanceof $Reader))
            reader = new $Reader(reader);
          return this.decode(reader, reader.uint32());
        };
        GraphProto.verify = function verify(message) {
          if (typeof message !== "object" || message === null)
            return "object expected";
          if (message.node != null && message.hasOwnProperty("node")) {
            if (!Array.isArray(message.node))
              return "node: array expected";
            for (var i = 0; i < message.node.length; ++i) {
              var error = $root.onnx.NodeProto.verify(message.node[i]);
              if (error)
                return "node." + error;
            }
          }
          if (message.name != null && message.hasOwnProperty("name")) {
            if (!$util.isString(message.name))
              return "name: string expected";
          }
          if (message.initializer != null && message.hasOwnProperty("initializer")) {
            if (!Array.isArray(message.initializer))
              return "initializer: array expected";
            for (var i = 0; i < message.initializer.length; ++i) {
              var error = $root.onnx.TensorProto.verify(message.initializer[i]);
              if (error)
                return "initializer." + error;
            }
          }
          if (message.sparseInitializer != null && message.hasOwnProperty("sparseInitializer")) {
            if (!Array.isArray(message.sparseInitializer))
              return "sparseInitializer: array expected";
            for (var i = 0; i < message.sparseInitializer.length; ++i) {
              var error = $root.onnx.SparseTensorProto.verify(message.sparseInitializer[i]);
              if (error)
                return "sparseInitializer." + error;
            }
          }
          if (message.docString != null && message.hasOwnProperty("docString")) {
            if (!$util.isString(message.docString))
              return "docString: string expected";
          }
          if (message.input != null && message.hasOwnProperty("input")) {
            if (!Array.isArray(message.input))
              return "input: array expected";
            for (var i = 0; i < message.input.length; ++i) {
              var error = $root.onnx.ValueInfoProto.verify(message.input[i]);
              if (error)
                return "input." + error;
            }
          }
          if (message.output != null && message.hasOwnProperty("output")) {
            if (!Array.isArray(message.output))
              return "output: array expected";
            for (var i = 0; i < message.output.length; ++i) {
              var error = $root.onnx.ValueInfoProto.verify(message.output[i]);
              if (error)
                return "output." + error;
            }
          }
          if (message.valueInfo != null && message.hasOwnProperty("valueInfo")) {
            if (!Array.isArray(message.valueInfo))
              return "valueInfo: array expected";
            for (var i = 0; i < message.valueInfo.length; ++i) {
              var error = $root.onnx.ValueInfoProto.verify(message.valueInfo[i]);
              if (error)
                return "valueInfo." + error;
            }
          }
          if (message.quantizationAnnotation != null && message.hasOwnProperty("quantizationAnnotation")) {
            if (!Array.isArray(message.quantizationAnnotation))
              return "quantizationAnnotation: array expected";
            for (var i = 0; i < message.quantizationAnnotation.length; ++i) {
              var error = $root.onnx.TensorAnnotation.verify(message.quantizationAnnotation[i]);
              if (error)
                return "quantizationAnnotation." + error;
            }
          }
          return null;
        };
        GraphProto.fromObject = function fromObject(object) {
          if (object instanceof $root.onnx.GraphProto)
            return object;
          var message = new $root.onnx.GraphProto();
          if (object.node) {
            if (!Array.isArray(object.node))
              throw TypeError(".onnx.GraphProto.node: array expected");
            message.node = [];
            for (var i = 0; i < object.node.length; ++i) {
              if (typeof object.node[i] !== "object")
                throw TypeError(".onnx.GraphProto.node: object expected");
              message.node[i] = $root.onnx.NodeProto.fromObject(object.node[i]);
            }
          }
          if (object.name != null)
            message.name = String(object.name);
          if (object.initializer) {
            if (!Array.isArray(object.initializer))
              throw TypeError(".onnx.GraphProto.initializer: array expected");
            message.initializer = [];
            for (var i = 0; i < object.initializer.length; ++i) {
              if (typeof object.initializer[i] !== "object")
                throw TypeError(".onnx.GraphProto.initializer: object expected");
              message.initializer[i] = $root.onnx.TensorProto.fromObject(object.initializer[i]);
            }
          }
          if (object.sparseInitializer) {
            if (!Array.isArray(object.sparseInitializer))
              throw TypeError(".onnx.GraphProto.sparseInitializer: array expected");
            message.sparseInitializer = [];
            for (var i = 0; i < object.sparseInitializer.length; ++i) {
              if (typeof object.sparseInitializer[i] !== "object")
                throw TypeError(".onnx.GraphProto.sparseInitializer: object expected");
              message.sparseInitializer[i] = $root.onnx.SparseTensorProto.fromObject(object.sparseInitializer[i]);
            }
          }
          if (object.docString != null)
            message.docString = String(object.docString);
          if (object.input) {
            if (!Array.isArray(object.input))
              throw TypeError(".onnx.GraphProto.input: array expected");
            message.input = [];
            for (var i = 0; i < object.input.length; ++i) {
              if (typeof object.input[i] !== "object")
                throw TypeError(".onnx.GraphProto.input: object expected");
              message.input[i] = $root.onnx.ValueInfoProto.fromObject(object.input[i]);
            }
          }
          if (object.output) {
            if (!Array.isArray(object.output))
              throw TypeError(".onnx.GraphProto.output: array expected");
            message.output = [];
            for (var i = 0; i < object.output.length; ++i) {
              if (typeof object.output[i] !== "object")
                throw TypeError(".onnx.GraphProto.output: object expected");
              message.output[i] = $root.onnx.ValueInfoProto.fromObject(object.output[i]);
            }
          }
          if (object.valueInfo) {
            if (!Array.isArray(object.valueInfo))
              throw TypeError(".onnx.GraphProto.valueInfo: array expected");
            message.valueInfo = [];
            for (var i = 0; i < object.valueInfo.length; ++i) {
              if (typeof object.valueInfo[i] !== "object")
                throw TypeError(".onnx.GraphProto.valueInfo: object expected");
              message.valueInfo[i] = $root.onnx.ValueInfoProto.fromObject(object.valueInfo[i]);
            }
          }
          if (object.quantizationAnnotation) {
            if (!Array.isArray(object.quantizationAnnotation))
              throw TypeError(".onnx.GraphProto.quantizationAnnotation: array expected");
            message.quantizationAnnotation = [];
            for (var i = 0; i < object.quantizationAnnotation.length; ++i) {
              if (typeof object.quantizationAnnotation[i] !== "object")
                throw TypeError(".onnx.GraphProto.quantizationAnnotation: object expected");
              message.quantizationAnnotation[i] = $root.onnx.TensorAnnotation.fromObject(object.quantizationAnnotation[i]);
            }
          }
          return message;
        };
        GraphProto.toObject = function toObject(message, options2) {
          if (!options2)
            options2 = {};
          var object = {};
          if (options2.arrays || options2.defaults) {
            object.node = [];
            object.initializer = [];
            object.input = [];
            object.output = [];
            object.valueInfo = [];
            object.quantizationAnnotation = [];
            object.sparseInitializer = [];
          }
          if (options2.defaults) {
            object.name = "";
            object.docString = "";
          }
          if (message.node && message.node.length) {
            object.node = [];
            for (var j = 0; j < message.node.length; ++j)
              object.node[j] = $root.onnx.NodeProto.toObject(message.node[j], options2);
          }
          if (message.name != null && message.hasOwnProperty("name"))
            object.name = message.name;
          if (message.initializer && message.initializer.length) {
            object.initializer = [];
            for (var j = 0; j < message.initializer.length; ++j)
              object.initializer[j] = $root.onnx.TensorProto.toObject(message.initializer[j], options2);
          }
          if (message.docString != null && message.hasOwnProperty("docString"))
            object.docString = message.docString;
          if (message.input && message.input.length) {
            object.input = [];
            for (var j = 0; j < message.input.length; ++j)
              object.input[j] = $root.onnx.ValueInfoProto.toObject(message.input[j], options2);
          }
          if (message.output && message.output.length) {
            object.output = [];
            for (var j = 0; j < message.output.length; ++j)
              object.output[j] = $root.onnx.ValueInfoProto.toObject(message.output[j], options2);
          }
          if (message.valueInfo && message.valueInfo.length) {
            object.valueInfo = [];
            for (var j = 0; j < message.valueInfo.length; ++j)
              object.valueInfo[j] = $root.onnx.ValueInfoProto.toObject(message.valueInfo[j], options2);
          }
          if (message.quantizationAnnotation && message.quantizationAnnotation.length) {
            object.quantizationAnnotation = [];
            for (var j = 0; j < message.quantizationAnnotation.length; ++j)
              object.quantizationAnnotation[j] = $root.onnx.TensorAnnotation.toObject(message.quantizationAnnotation[j], options2);
          }
          if (message.sparseInitializer && message.sparseInitializer.length) {
            object.sparseInitializer = [];
            for (var j = 0; j < message.sparseInitializer.length; ++j)
              object.sparseInitializer[j] = $root.onnx.SparseTensorProto.toObject(message.sparseInitializer[j], options2);
          }
          return object;
        };
        GraphProto.prototype.toJSON = function toJSON() {
          return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
        };
        return GraphProto;
      })();
      onnx2.TensorProto = (function() {
        function TensorProto(properties) {
          this.dims = [];
          this.floatData = [];
          this.int32Data = [];
          this.stringData = [];
          this.int64Data = [];
          this.externalData = [];
          this.doubleData = [];
          this.uint64Data = [];
          if (properties) {
            for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
              if (properties[keys[i]] != null)
                this[keys[i]] = properties[keys[i]];
          }
        }
        TensorProto.prototype.dims = $util.emptyArray;
        TensorProto.prototype.dataType = 0;
        TensorProto.prototype.segment = null;
        TensorProto.prototype.floatData = $util.emptyArray;
        TensorProto.prototype.int32Data = $util.emptyArray;
        TensorProto.prototype.stringData = $util.emptyArray;
        TensorProto.prototype.int64Data = $util.emptyArray;
        TensorProto.prototype.name = "";
        TensorProto.prototype.docString = "";
        TensorProto.prototype.rawData = $util.newBuffer([]);
        TensorProto.prototype.externalData = $util.emptyArray;
        TensorProto.prototype.dataLocation = 0;
        TensorProto.prototype.doubleData = $util.emptyArray;
        TensorProto.prototype.uint64Data = $util.emptyArray;
        TensorProto.create = function create(properties) {
          return new TensorProto(properties);
        };
        TensorProto.encode = function encode(message, writer) {
          if (!writer)
            writer = $Writer.create();
          if (message.dims != null && message.dims.length) {
            writer.uint32(
              /* id 1, wireType 2 =*/
              10
            ).fork();
            for (var i = 0; i < message.dims.length; ++i)
              writer.int64(message.dims[i]);
            writer.ldelim();
          }
          if (message.dataType != null && Object.hasOwnProperty.call(message, "dataType"))
            writer.uint32(
              /* id 2, wireType 0 =*/
              16
            ).int32(message.dataType);
          if (message.segment != null && Object.hasOwnProperty.call(message, "segment"))
            $root.onnx.TensorProto.Segment.encode(message.segment, writer.uint32(
              /* id 3, wireType 2 =*/
              26
            ).fork()).ldelim();
          if (message.floatData != null && message.floatData.length) {
            writer.uint32(
              /* id 4, wireType 2 =*/
              34
            ).fork();
            for (var i = 0; i < message.floatData.length; ++i)
              writer.float(message.floatData[i]);
            writer.ldelim();
          }
          if (message.int32Data != null && message.int32Data.length) {
            writer.uint32(
              /* id 5, wireType 2 =*/
              42
            ).fork();
            for (var i = 0; i < message.int32Data.length; ++i)
              writer.int32(message.int32Data[i]);
            writer.ldelim();
          }
          if (message.stringData != null && message.stringData.length)
            for (var i = 0; i < message.stringData.length; ++i)
              writer.uint32(
                /* id 6, wireType 2 =*/
                50
              ).bytes(message.stringData[i]);
          if (message.int64Data != null && message.int64Data.length) {
            writer.uint32(
              /* id 7, wireType 2 =*/
              58
            ).fork();
            for (var i = 0; i < message.int64Data.length; ++i)
              writer.int64(message.int64Data[i]);
            writer.ldelim();
          }
          if (message.name != null && Object.hasOwnProperty.call(message, "name"))
            writer.uint32(
              /* id 8, wireType 2 =*/
              66
            ).string(message.name);
          if (message.rawData != null && Object.hasOwnProperty.call(message, "rawData"))
            writer.uint32(
              /* id 9, wireType 2 =*/
              74
            ).bytes(message.rawData);
          if (message.doubleData != null && message.doubleData.length) {
            writer.uint32(
              /* id 10, wireType 2 =*/
              82
            ).fork();
            for (var i = 0; i < message.doubleData.length; ++i)
              writer.double(message.doubleData[i]);
            writer.ldelim();
          }
          if (message.uint64Data != null && message.uint64Data.length) {
            writer.uint32(
              /* id 11, wireType 2 =*/
              90
            ).fork();
            for (var i = 0; i < message.uint64Data.length; ++i)
              writer.uint64(message.uint64Data[i]);
            writer.ldelim();
          }
          if (message.docString != null && Object.hasOwnProperty.call(message, "docString"))
            writer.uint32(
              /* id 12, wireType 2 =*/
              98
            ).string(message.docString);
          if (message.externalData != null && message.externalData.length)
            for (var i = 0; i < message.externalData.length; ++i)
              $root.onnx.StringStringEntryProto.encode(message.externalData[i], writer.uint32(
                /* id 13, wireType 2 =*/
                106
              ).fork()).ldelim();
          if (message.dataLocation != null && Object.hasOwnProperty.call(message, "dataLocation"))
            writer.uint32(
              /* id 14, wireType 0 =*/
              112
            ).int32(message.dataLocation);
          return writer;
        };
        TensorProto.encodeDelimited = function encodeDelimited(message, writer) {
          return this.encode(message, writer).ldelim();
        };
        TensorProto.decode = function decode(reader, length) {
          if (!(reader instanceof $Reader))
            reader = $Reader.create(reader);
          var end = length === void 0 ? reader.len : reader.pos + length, message = new $root.onnx.TensorProto();
          while (reader.pos < end) {
            var tag = reader.uint32();
            switch (tag >>> 3) {
              case 1:
                if (!(message.dims && message.dims.length))
                  message.dims = [];
                if ((tag & 7) === 2) {
                  var end2 = reader.uint32() + reader.pos;
                  while (reader.pos < end2)
                    message.dims.push(reader.int64());
                } else
                  message.dims.push(reader.int64());
                break;
              case 2:
                message.dataType = reader.int32();
                break;
              case 3:
                message.segment = $root.onnx.TensorProto.Segment.decode(reader, reader.uint32());
                break;
              case 4:
                if (!(message.floatData && message.floatData.length))
                  message.floatData = [];
                if ((tag & 7) === 2) {
                  var end2 = reader.uint32() + reader.pos;
                  while (reader.pos < end2)
                    message.floatData.push(reader.float());
                } else
                  message.floatData.push(reader.float());
                break;
              case 5:
                if (!(message.int32Data && message.int32Data.length))
                  message.int32Data = [];
                if ((tag & 7) === 2) {
                  var end2 = reader.uint32() + reader.pos;
                  while (reader.pos < end2)
                    message.int32Data.push(reader.int32());
                } else
                  message.int32Data.push(reader.int32());
                break;
              case 6:
                if (!(message.stringData && message.stringData.length))
                  message.stringData = [];
                message.stringData.push(reader.bytes());
                break;
              case 7:
                if (!(message.int64Data && message.int64Data.length))
                  message.int64Data = [];
                if ((tag & 7) === 2) {
                  var end2 = reader.uint32() + reader.pos;
                  while (reader.pos < end2)
                    message.int64Data.push(reader.int64());
                } else
                  message.int64Data.push(reader.int64());
                break;
              case 8:
                message.name = reader.string();
                break;
              case 12:
                message.docString = reader.string();
                break;
              case 9:
                message.rawData = reader.bytes();
                break;
              case 13:
                if (!(message.externalData && message.externalData.length))
                  message.externalData = [];
                message.externalData.push($root.onnx.StringStringEntryProto.decode(reader, reader.uint32()));
                break;
              case 14:
                message.dataLocation = reader.int32();
                break;
              case 10:
                if (!(message.doubleData && message.doubleData.length))
                  message.doubleData = [];
                if ((tag & 7) === 2) {
                  var end2 = reader.uint32() + reader.pos;
                  while (reader.pos < end2)
                    message.doubleData.push(reader.double());
                } else
                  message.doubleData.push(reader.double());
                break;
              case 11:
                if (!(message.uint64Data && message.uint64Data.length))
                  message.uint64Data = [];
                if ((tag & 7) === 2) {
                  var end2 = reader.uint32() + reader.pos;
                  while (reader.pos < end2)
                    message.uint64Data.push(reader.uint64());
                } else
                  message.uint64Data.push(reader.uint64());
                break;
              default:
                reader.skipType(tag & 7);
                break;
            }
          }
          return message;
        };
        TensorProto.decodeDelimited = function decodeDelimited(reader) {
          if (!(reader instanceof $Reader))
            reader = new $Reader(reader);
          return this.decode(reader, reader.uint32());
        };
        TensorProto.verify = function verify(message) {
          if (typeof message !== "object" || message === null)
            return "object expected";
          if (message.dims != null && message.hasOwnProperty("dims")) {
            if (!Array.isArray(message.dims))
              return "dims: array expected";
            for (var i = 0; i < message.dims.length; ++i)
              if (!$util.isInteger(message.dims[i]) && !(message.dims[i] && $util.isInteger(message.dims[i].low) && $util.isInteger(message.dims[i].high)))
                return "dims: integer|Long[] expected";
          }
          if (message.dataType != null && message.hasOwnProperty("dataType")) {
            if (!$util.isInteger(message.dataType))
              return "dataType: integer expected";
          }
          if (message.segment != null && message.hasOwnProperty("segment")) {
            var error = $root.onnx.TensorProto.Segment.verify(message.segment);
            if (error)
              return "segment." + error;
          }
          if (message.floatData != null && message.hasOwnProperty("floatData")) {
            if (!Array.isArray(message.floatData))
              return "floatData: array expected";
            for (var i = 0; i < message.floatData.length; ++i)
              if (typeof message.floatData[i] !== "number")
                return "floatData: number[] expected";
          }
          if (message.int32Data != null && message.hasOwnProperty("int32Data")) {
            if (!Array.isArray(message.int32Data))
              return "int32Data: array expected";
            for (var i = 0; i < message.int32Data.length; ++i)
              if (!$util.isInteger(message.int32Data[i]))
                return "int32Data: integer[] expected";
          }
          if (message.stringData != null && message.hasOwnProperty("stringData")) {
            if (!Array.isArray(message.stringData))
              return "stringData: array expected";
            for (var i = 0; i < message.stringData.length; ++i)
              if (!(message.stringData[i] && typeof message.stringData[i].length === "number" || $util.isString(message.stringData[i])))
                return "stringData: buffer[] expected";
          }
          if (message.int64Data != null && message.hasOwnProperty("int64Data")) {
            if (!Array.isArray(message.int64Data))
              return "int64Data: array expected";
            for (var i = 0; i < message.int64Data.length; ++i)
              if (!$util.isInteger(message.int64Data[i]) && !(message.int64Data[i] && $util.isInteger(message.int64Data[i].low) && $util.isInteger(message.int64Data[i].high)))
                return "int64Data: integer|Long[] expected";
          }
          if (message.name != null && message.hasOwnProperty("name")) {
            if (!$util.isString(message.name))
              return "name: string expected";
          }
          if (message.docString != null && message.hasOwnProperty("docString")) {
            if (!$util.isString(message.docString))
              return "docString: string expected";
          }
          if (message.rawData != null && message.hasOwnProperty("rawData")) {
            if (!(message.rawData && typeof message.rawData.length === "number" || $util.isString(message.rawData)))
              return "rawData: buffer expected";
          }
          if (message.externalData != null && message.hasOwnProperty("externalData")) {
            if (!Array.isArray(message.externalData))
              return "externalData: array expected";
            for (var i = 0; i < message.externalData.length; ++i) {
              var error = $root.onnx.StringStringEntryProto.verify(message.externalData[i]);
              if (error)
                return "externalData." + error;
            }
          }
          if (message.dataLocation != null && message.hasOwnProperty("dataLocation"))
            switch (message.dataLocation) {
              default:
                return "dataLocation: enum value expected";
              case 0:
              case 1:
                break;
            }
          if (message.doubleData != null && message.hasOwnProperty("doubleData")) {
            if (!Array.isArray(message.doubleData))
              return "doubleData: array expected";
            for (var i = 0; i < message.doubleData.length; ++i)
              if (typeof message.doubleData[i] !== "number")
                return "doubleData: number[] expected";
          }
          if (message.uint64Data != null && message.hasOwnProperty("uint64Data")) {
            if (!Array.isArray(message.uint64Data))
              return "uint64Data: array expected";
            for (var i = 0; i < message.uint64Data.length; ++i)
              if (!$util.isInteger(message.uint64Data[i]) && !(message.uint64Data[i] && $util.isInteger(message.uint64Data[i].low) && $util.isInteger(message.uint64Data[i].high)))
                return "uint64Data: integer|Long[] expected";
          }
          return null;
        };
        TensorProto.fromObject = function fromObject(object) {
          if (object instanceof $root.onnx.TensorProto)
            return object;
          var message = new $root.onnx.TensorProto();
          if (object.dims) {
            if (!Array.isArray(object.dims))
              throw TypeError(".onnx.TensorProto.dims: array expected");
            message.dims = [];
            for (var i = 0; i < object.dims.length; ++i)
              if ($util.Long)
                (message.dims[i] = $util.Long.fromValue(object.dims[i])).unsigned = false;
              else if (typeof object.dims[i] === "string")
                message.dims[i] = parseInt(object.dims[i], 10);
              else if (typeof object.dims[i] === "number")
                message.dims[i] = object.dims[i];
              else if (typeof object.dims[i] === "object")
                message.dims[i] = new $util.LongBits(object.dims[i].low >>> 0, object.dims[i].high >>> 0).toNumber();
          }
          if (object.dataType != null)
            message.dataType = object.dataType | 0;
          if (object.segment != null) {
            if (typeof object.segment !== "object")
              throw TypeError(".onnx.TensorProto.segment: object expected");
            message.segment = $root.onnx.TensorProto.Segment.fromObject(object.segment);
          }
          if (object.floatData) {
            if (!Array.isArray(object.floatData))
              throw TypeError(".onnx.TensorProto.floatData: array expected");
            message.floatData = [];
            for (var i = 0; i < object.floatData.length; ++i)
              message.floatData[i] = Number(object.floatData[i]);
          }
          if (object.int32Data) {
            if (!Array.isArray(object.int32Data))
              throw TypeError(".onnx.TensorProto.int32Data: array expected");
            message.int32Data = [];
            for (var i = 0; i < object.int32Data.length; ++i)
              message.int32Data[i] = object.int32Data[i] | 0;
          }
          if (object.stringData) {
            if (!Array.isArray(object.stringData))
              throw TypeError(".onnx.TensorProto.stringData: array expected");
            message.stringData = [];
            for (var i = 0; i < object.stringData.length; ++i)
              if (typeof object.stringData[i] === "string")
                $util.base64.decode(object.stringData[i], message.stringData[i] = $util.newBuffer($util.base64.length(object.stringData[i])), 0);
              else if (object.stringData[i].length)
                message.stringData[i] = object.stringData[i];
          }
          if (object.int64Data) {
            if (!Array.isArray(object.int64Data))
              throw TypeError(".onnx.TensorProto.int64Data: array expected");
            message.int64Data = [];
            for (var i = 0; i < object.int64Data.length; ++i)
              if ($util.Long)
                (message.int64Data[i] = $util.Long.fromValue(object.int64Data[i])).unsigned = false;
              else if (typeof object.int64Data[i] === "string")
                message.int64Data[i] = parseInt(object.int64Data[i], 10);
              else if (typeof object.int64Data[i] === "number")
                message.int64Data[i] = object.int64Data[i];
              else if (typeof object.int64Data[i] === "object")
                message.int64Data[i] = new $util.LongBits(object.int64Data[i].low >>> 0, object.int64Data[i].high >>> 0).toNumber();
          }
          if (object.name != null)
            message.name = String(object.name);
          if (object.docString != null)
            message.docString = String(object.docString);
          if (object.rawData != null) {
            if (typeof object.rawData === "string")
              $util.base64.decode(object.rawData, message.rawData = $util.newBuffer($util.base64.length(object.rawData)), 0);
            else if (object.rawData.length)
              message.rawData = object.rawData;
          }
          if (object.externalData) {
            if (!Array.isArray(object.externalData))
              throw TypeError(".onnx.TensorProto.externalData: array expected");
            message.externalData = [];
            for (var i = 0; i < object.externalData.length; ++i) {
              if (typeof object.externalData[i] !== "object")
                throw TypeError(".onnx.TensorProto.externalData: object expected");
              message.externalData[i] = $root.onnx.StringStringEntryProto.fromObject(object.externalData[i]);
            }
          }
          switch (object.dataLocation) {
            case "DEFAULT":
            case 0:
              message.dataLocation = 0;
              break;
            case "EXTERNAL":
            case 1:
              message.dataLocation = 1;
              break;
          }
          if (object.doubleData) {
            if (!Array.isArray(object.doubleData))
              throw TypeError(".onnx.TensorProto.doubleData: array expected");
            message.doubleData = [];
            for (var i = 0; i < object.doubleData.length; ++i)
              message.doubleData[i] = Number(object.doubleData[i]);
          }
          if (object.uint64Data) {
            if (!Array.isArray(object.uint64Data))
              throw TypeError(".onnx.TensorProto.uint64Data: array expected");
            message.uint64Data = [];
            for (var i = 0; i < object.uint64Data.length; ++i)
              if ($util.Long)
                (message.uint64Data[i] = $util.Long.fromValue(object.uint64Data[i])).unsigned = true;
              else if (typeof object.uint64Data[i] === "string")
                message.uint64Data[i] = parseInt(object.uint64Data[i], 10);
              else if (typeof object.uint64Data[i] === "number")
                message.uint64Data[i] = object.uint64Data[i];
              else if (typeof object.uint64Data[i] === "object")
                message.uint64Data[i] = new $util.LongBits(object.uint64Data[i].low >>> 0, object.uint64Data[i].high >>> 0).toNumber(true);
          }
          return message;
        };
        TensorProto.toObject = function toObject(message, options2) {
          if (!options2)
            options2 = {};
          var object = {};
          if (options2.arrays || options2.defaults) {
            object.dims = [];
            object.floatData = [];
            object.int32Data = [];
            object.stringData = [];
            object.int64Data = [];
            object.doubleData = [];
            object.uint64Data = [];
            object.externalData = [];
          }
          if (options2.defaults) {
            object.dataType = 0;
            object.segment = null;
            object.name = "";
            if (options2.bytes === String)
              object.rawData = "";
            else {
              object.rawData = [];
              if (options2.bytes !== Array)
                object.rawData = $util.newBuffer(object.rawData);
            }
            object.docString = "";
            object.dataLocation = options2.enums === String ? "DEFAULT" : 0;
          }
          if (message.dims && message.dims.length) {
            object.dims = [];
            for (var j = 0; j < message.dims.length; ++j)
              if (typeof message.dims[j] === "number")
                object.dims[j] = options2.longs === String ? String(message.dims[j]) : message.dims[j];
              else
                object.dims[j] = options2.longs === String ? $util.Long.prototype.toString.call(message.dims[j]) : options2.longs === Number ? new $util.LongBits(message.dims[j].low >>> 0, message.dims[j].high >>> 0).toNumber() : message.dims[j];
          }
          if (message.dataType != null && message.hasOwnProperty("dataType"))
            object.dataType = message.dataType;
          if (message.segment != null && message.hasOwnProperty("segment"))
            object.segment = $root.onnx.TensorProto.Segment.toObject(message.segment, options2);
          if (message.floatData && message.floatData.length) {
            object.floatData = [];
            for (var j = 0; j < message.floatData.length; ++j)
              object.floatData[j] = options2.json && !isFinite(message.floatData[j]) ? String(message.floatData[j]) : message.floatData[j];
          }
          if (message.int32Data && message.int32Data.length) {
            object.int32Data = [];
            for (var j = 0; j < message.int32Data.length; ++j)
              object.int32Data[j] = message.int32Data[j];
          }
          if (message.stringData && message.stringData.length) {
            object.stringData = [];
            for (var j = 0; j < message.stringData.length; ++j)
              object.stringData[j] = options2.bytes === String ? $util.base64.encode(message.stringData[j], 0, message.stringData[j].length) : options2.bytes === Array ? Array.prototype.slice.call(message.stringData[j]) : message.stringData[j];
          }
          if (message.int64Data && message.int64Data.length) {
            object.int64Data = [];
            for (var j = 0; j < message.int64Data.length; ++j)
              if (typeof message.int64Data[j] === "number")
                object.int64Data[j] = options2.longs === String ? String(message.int64Data[j]) : message.int64Data[j];
              else
                object.int64Data[j] = options2.longs === String ? $util.Long.prototype.toString.call(message.int64Data[j]) : options2.longs === Number ? new $util.LongBits(message.int64Data[j].low >>> 0, message.int64Data[j].high >>> 0).toNumber() : message.int64Data[j];
          }
          if (message.name != null && message.hasOwnProperty("name"))
            object.name = message.name;
          if (message.rawData != null && message.hasOwnProperty("rawData"))
            object.rawData = options2.bytes === String ? $util.base64.encode(message.rawData, 0, message.rawData.length) : options2.bytes === Array ? Array.prototype.slice.call(message.rawData) : message.rawData;
          if (message.doubleData && message.doubleData.length) {
            object.doubleData = [];
            for (var j = 0; j < message.doubleData.length; ++j)
              object.doubleData[j] = options2.json && !isFinite(message.doubleData[j]) ? String(message.doubleData[j]) : message.doubleData[j];
          }
          if (message.uint64Data && message.uint64Data.length) {
            object.uint64Data = [];
            for (var j = 0; j < message.uint64Data.length; ++j)
              if (typeof message.uint64Data[j] === "number")
                object.uint64Data[j] = options2.longs === String ? String(message.uint64Data[j]) : message.uint64Data[j];
              else
                object.uint64Data[j] = options2.longs === String ? $util.Long.prototype.toString.call(message.uint64Data[j]) : options2.longs === Number ? new $util.LongBits(message.uint64Data[j].low >>> 0, message.uint64Data[j].high >>> 0).toNumber(true) : message.uint64Data[j];
          }
          if (message.docString != null && message.hasOwnProperty("docString"))
            object.docString = message.docString;
          if (message.externalData && message.externalData.length) {
            object.externalData = [];
            for (var j = 0; j < message.externalData.length; ++j)
              object.externalData[j] = $root.onnx.StringStringEntryProto.toObject(message.externalData[j], options2);
          }
          if (message.dataLocation != null && message.hasOwnProperty("dataLocation"))
            object.dataLocation = options2.enums === String ? $root.onnx.TensorProto.DataLocation[message.dataLocation] : message.dataLocation;
          return object;
        };
        TensorProto.prototype.toJSON = function toJSON() {
          return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
        };
        TensorProto.DataType = (function() {
          var valuesById = {}, values = Object.create(valuesById);
          values[valuesById[0] = "UNDEFINED"] = 0;
          values[valuesById[1] = "FLOAT"] = 1;
          values[valuesById[2] = "UINT8"] = 2;
          values[valuesById[3] = "INT8"] = 3;
          values[valuesById[4] = "UINT16"] = 4;
          values[valuesById[5] = "INT16"] = 5;
          values[valuesById[6] = "INT32"] = 6;
          values[valuesById[7] = "INT64"] = 7;
          values[valuesById[8] = "STRING"] = 8;
          values[valuesById[9] = "BOOL"] = 9;
          values[valuesById[10] = "FLOAT16"] = 10;
          values[valuesById[11] = "DOUBLE"] = 11;
          values[valuesById[12] = "UINT32"] = 12;
          values[valuesById[13] = "UINT64"] = 13;
          values[valuesById[14] = "COMPLEX64"] = 14;
          values[valuesById[15] = "COMPLEX128"] = 15;
          values[valuesById[16] = "BFLOAT16"] = 16;
          return values;
        })();
        TensorProto.Segment = (function() {
          function Segment(properties) {
            if (properties) {
              for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                if (properties[keys[i]] != null)
                  this[keys[i]] = properties[keys[i]];
            }
          }
          Segment.prototype.begin = $util.Long ? $util.Long.fromBits(0, 0, false) : 0;
          Segment.prototype.end = $util.Long ? $util.Long.fromBits(0, 0, false) : 0;
          Segment.create = function create(properties) {
            return new Segment(properties);
          };
          Segment.encode = function encode(message, writer) {
            if (!writer)
              writer = $Writer.create();
            if (message.begin != null && Object.hasOwnProperty.call(message, "begin"))
              writer.uint32(
                /* id 1, wireType 0 =*/
                8
              ).int64(message.begin);
            if (message.end != null && Object.hasOwnProperty.call(message, "end"))
              writer.uint32(
                /* id 2, wireType 0 =*/
                16
              ).int64(message.end);
            return writer;
          };
          Segment.encodeDelimited = function encodeDelimited(message, writer) {
            return this.encode(message, writer).ldelim();
          };
          Segment.decode = function decode(reader, length) {
            if (!(reader instanceof $Reader))
              reader = $Reader.create(reader);
            var end = length === void 0 ? reader.len : reader.pos + length, message = new $root.onnx.TensorProto.Segment();
            while (reader.pos < end) {
              var tag = reader.uint32();
              switch (tag >>> 3) {
                case 1:
                  message.begin = reader.int64();
                  break;
                case 2:
                  message.end = reader.int64();
                  break;
                default:
                  reader.skipType(tag & 7);
                  break;
              }
            }
            return message;
          };
          Segment.decodeDelimited = function decodeDelimited(reader) {
            if (!(reader instanceof $Reader))
              reader = new $Reader(reader);
            return this.decode(reader, reader.uint32());
          };
          Segment.verify = function verify(message) {
            if (typeof message !== "object" || message === null)
              return "object expected";
            if (message.begin != null && message.hasOwnProperty("begin")) {
              if (!$util.isInteger(message.begin) && !(message.begin && $util.isInteger(message.begin.low) && $util.isInteger(message.begin.high)))
                return "begin: integer|Long expected";
            }
            if (message.end != null && message.hasOwnProperty("end")) {
              if (!$util.isInteger(message.end) && !(message.end && $util.isInteger(message.end.low) && $util.isInteger(message.end.high)))
                return "end: integer|Long expected";
            }
            return null;
          };
          Segment.fromObject = function fromObject(object) {
            if (object instanceof $root.onnx.TensorProto.Segment)
              return object;
            var message = new $root.onnx.TensorProto.Segment();
            if (object.begin != null) {
              if ($util.Long)
                (message.begin = $util.Long.fromValue(object.begin)).unsigned = false;
              else if (typeof object.begin === "string")
                message.begin = parseInt(object.begin, 10);
              else if (typeof object.begin === "number")
                message.begin = object.begin;
              else if (typeof object.begin === "object")
                message.begin = new $util.LongBits(object.begin.low >>> 0, object.begin.high >>> 0).toNumber();
            }
            if (object.end != null) {
              if ($util.Long)
                (message.end = $util.Long.fromValue(object.end)).unsigned = false;
              else if (typeof object.end === "string")
                message.end = parseInt(object.end, 10);
              else if (typeof object.end === "number")
                message.end = object.end;
              else if (typeof object.end === "object")
                message.end = new $util.LongBits(object.end.low >>> 0, object.end.high >>> 0).toNumber();
            }
            return message;
          };
          Segment.toObject = function toObject(message, options2) {
            if (!options2)
              options2 = {};
            var object = {};
            if (options2.defaults) {
              if ($util.Long) {
                var long = new $util.Long(0, 0, false);
                object.begin = options2.longs === String ? long.toString() : options2.longs === Number ? long.toNumber() : long;
              } else
                object.begin = options2.longs === String ? "0" : 0;
              if ($util.Long) {
                var long = new $util.Long(0, 0, false);
                object.end = options2.longs === String ? long.toString() : options2.longs === Number ? long.toNumber() : long;
              } else
                object.end = options2.longs === String ? "0" : 0;
            }
            if (message.begin != null && message.hasOwnProperty("begin"))
              if (typeof message.begin === "number")
                object.begin = options2.longs === String ? String(message.begin) : message.begin;
              else
                object.begin = options2.longs === String ? $util.Long.prototype.toString.call(message.begin) : options2.longs === Number ? new $util.LongBits(message.begin.low >>> 0, message.begin.high >>> 0).toNumber() : message.begin;
            if (message.end != null && message.hasOwnProperty("end"))
              if (typeof message.end === "number")
                object.end = options2.longs === String ? String(message.end) : message.end;
              else
                object.end = options2.longs === String ? $util.Long.prototype.toString.call(message.end) : options2.longs === Number ? new $util.LongBits(message.end.low >>> 0, message.end.high >>> 0).toNumber() : message.end;
            return object;
          };
          Segment.prototype.toJSON = function toJSON() {
            return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
          };
          return Segment;
        })();
        TensorProto.DataLocation = (function() {
          var valuesById = {}, values = Object.create(valuesById);
          values[valuesById[0] = "DEFAULT"] = 0;
          values[valuesById[1] = "EXTERNAL"] = 1;
          return values;
        })();
        return TensorProto;
      })();
      onnx2.SparseTensorProto = (function() {
        function SparseTensorProto(properties) {
          this.dims = [];
          if (properties) {
            for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
              if (properties[keys[i]] != null)
                this[keys[i]] = properties[keys[i]];
          }
        }
        SparseTensorProto.prototype.values = null;
        SparseTensorProto.prototype.indices = null;
        SparseTensorProto.prototype.dims = $util.emptyArray;
        SparseTensorProto.create = function create(properties) {
          return new SparseTensorProto(properties);
        };
        SparseTensorProto.encode = function encode(message, writer) {
          if (!writer)
            writer = $Writer.create();
          if (message.values != null && Object.hasOwnProperty.call(message, "values"))
            $root.onnx.TensorProto.encode(message.values, writer.uint32(
              /* id 1, wireType 2 =*/
              10
            ).fork()).ldelim();
          if (message.indices != null && Object.hasOwnProperty.call(message, "indices"))
            $root.onnx.TensorProto.encode(message.indices, writer.uint32(
              /* id 2, wireType 2 =*/
              18
            ).fork()).ldelim();
          if (message.dims != null && message.dims.length) {
            writer.uint32(
              /* id 3, wireType 2 =*/
              26
            ).fork();
            for (var i = 0; i < message.dims.length; ++i)
              writer.int64(message.dims[i]);
            writer.ldelim();
          }
          return writer;
        };
        SparseTensorProto.encodeDelimited = function encodeDelimited(message, writer) {
          return this.encode(message, writer).ldelim();
        };
        SparseTensorProto.decode = function decode(reader, length) {
          if (!(reader instanceof $Reader))
            reader = $Reader.create(reader);
          var end = length === void 0 ? reader.len : reader.pos + length, message = new $root.onnx.SparseTensorProto();
          while (reader.pos < end) {
            var tag = reader.uint32();
            switch (tag >>> 3) {
              case 1:
                message.values = $root.onnx.TensorProto.decode(reader, reader.uint32());
                break;
              case 2:
                message.indices = $root.onnx.TensorProto.decode(reader, reader.uint32());
                break;
              case 3:
                if (!(message.dims && message.dims.length))
                  message.dims = [];
                if ((tag & 7) === 2) {
                  var end2 = reader.uint32() + reader.pos;
                  while (reader.pos < end2)
                    message.dims.push(reader.int64());
                } else
                  message.dims.push(reader.int64());
                break;
              default:
                reader.skipType(tag & 7);
                break;
            }
          }
          return message;
        };
        SparseTensorProto.decodeDelimited = function decodeDelimited(reader) {
          if (!(reader instanceof $Reader))
            reader = new $Reader(reader);
          return this.decode(reader, reader.uint32());
        };
        SparseTensorProto.verify = function verify(message) {
          if (typeof message !== "object" || message === null)
            return "object expected";
          if (message.values != null && message.hasOwnProperty("values")) {
            var error = $root.onnx.TensorProto.verify(message.values);
            if (error)
              return "values." + error;
          }
          if (message.indices != null && message.hasOwnProperty("indices")) {
            var error = $root.onnx.TensorProto.verify(message.indices);
            if (error)
              return "indices." + error;
          }
          if (message.dims != null && message.hasOwnProperty("dims")) {
            if (!Array.isArray(message.dims))
              return "dims: array expected";
            for (var i = 0; i < message.dims.length; ++i)
              if (!$util.isInteger(message.dims[i]) && !(message.dims[i] && $util.isInteger(message.dims[i].low) && $util.isInteger(message.dims[i].high)))
                return "dims: integer|Long[] expected";
          }
          return null;
        };
        SparseTensorProto.fromObject = function fromObject(object) {
          if (object instanceof $root.onnx.SparseTensorProto)
            return object;
          var message = new $root.onnx.SparseTensorProto();
          if (object.values != null) {
            if (typeof object.values !== "object")
              throw TypeError(".onnx.SparseTensorProto.values: object expected");
            message.values = $root.onnx.TensorProto.fromObject(object.values);
          }
          if (object.indices != null) {
            if (typeof object.indices !== "object")
              throw TypeError(".onnx.SparseTensorProto.indices: object expected");
            message.indices = $root.onnx.TensorProto.fromObject(object.indices);
          }
          if (object.dims) {
            if (!Array.isArray(object.dims))
              throw TypeError(".onnx.SparseTensorProto.dims: array expected");
            message.dims = [];
            for (var i = 0; i < object.dims.length; ++i)
              if ($util.Long)
                (message.dims[i] = $util.Long.fromValue(object.dims[i])).unsigned = false;
              else if (typeof object.dims[i] === "string")
                message.dims[i] = parseInt(object.dims[i], 10);
              else if (typeof object.dims[i] === "number")
                message.dims[i] = object.dims[i];
              else if (typeof object.dims[i] === "object")
                message.dims[i] = new $util.LongBits(object.dims[i].low >>> 0, object.dims[i].high >>> 0).toNumber();
          }
          return message;
        };
        SparseTensorProto.toObject = function toObject(message, options2) {
          if (!options2)
            options2 = {};
          var object = {};
          if (options2.arrays || options2.defaults)
            object.dims = [];
          if (options2.defaults) {
            object.values = null;
            object.indices = null;
          }
          if (message.values != null && message.hasOwnProperty("values"))
            object.values = $root.onnx.TensorProto.toObject(message.values, options2);
          if (message.indices != null && message.hasOwnProperty("indices"))
            object.indices = $root.onnx.TensorProto.toObject(message.indices, options2);
          if (message.dims && message.dims.length) {
            object.dims = [];
            for (var j = 0; j < message.dims.length; ++j)
              if (typeof message.dims[j] === "number")
                object.dims[j] = options2.longs === String ? String(message.dims[j]) : message.dims[j];
              else
                object.dims[j] = options2.longs === String ? $util.Long.prototype.toString.call(message.dims[j]) : options2.longs === Number ? new $util.LongBits(message.dims[j].low >>> 0, message.dims[j].high >>> 0).toNumber() : message.dims[j];
          }
          return object;
        };
        SparseTensorProto.prototype.toJSON = function toJSON() {
          return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
        };
        return SparseTensorProto;
      })();
      onnx2.TensorShapeProto = (function() {
        function TensorShapeProto(properties) {
          this.dim = [];
          if (properties) {
            for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
              if (properties[keys[i]] != null)
                this[keys[i]] = properties[keys[i]];
          }
        }
        TensorShapeProto.prototype.dim = $util.emptyArray;
        TensorShapeProto.create = function create(properties) {
          return new TensorShapeProto(properties);
        };
        TensorShapeProto.encode = function encode(message, writer) {
          if (!writer)
            writer = $Writer.create();
          if (message.dim != null && message.dim.length)
            for (var i = 0; i < message.dim.length; ++i)
              $root.onnx.TensorShapeProto.Dimension.encode(message.dim[i], writer.uint32(
                /* id 1, wireType 2 =*/
                10
              ).fork()).ldelim();
          return writer;
        };
        TensorShapeProto.encodeDelimited = function encodeDelimited(message, writer) {
          return this.encode(message, writer).ldelim();
        };
        TensorShapeProto.decode = function decode(reader, length) {
          if (!(reader instanceof $Reader))
            reader = $Reader.create(reader);
          var end = length === void 0 ? reader.len : reader.pos + length, message = new $root.onnx.TensorShapeProto();
          while (reader.pos < end) {
            var tag = reader.uint32();
            switch (tag >>> 3) {
              case 1:
                if (!(message.dim && message.dim.length))
                  message.dim = [];
                message.dim.push($root.onnx.TensorShapeProto.Dimension.decode(reader, reader.uint32()));
                break;
              default:
                reader.skipType(tag & 7);
                break;
            }
          }
          return message;
        };
        TensorShapeProto.decodeDelimited = function decodeDelimited(reader) {
          if (!(reader instanceof $Reader))
            reader = new $Reader(reader);
          return this.decode(reader, reader.uint32());
        };
        TensorShapeProto.verify = function verify(message) {
          if (typeof message !== "object" || message === null)
            return "object expected";
          if (message.dim != null && message.hasOwnProperty("dim")) {
            if (!Array.isArray(message.dim))
              return "dim: array expected";
            for (var i = 0; i < message.dim.length; ++i) {
              var error = $root.onnx.TensorShapeProto.Dimension.verify(message.dim[i]);
              if (error)
                return "dim." + error;
            }
          }
          return null;
        };
        TensorShapeProto.fromObject = function fromObject(object) {
          if (object instanceof $root.onnx.TensorShapeProto)
            return object;
          var message = new $root.onnx.TensorShapeProto();
          if (object.dim) {
            if (!Array.isArray(object.dim))
              throw TypeError(".onnx.TensorShapeProto.dim: array expected");
            message.dim = [];
            for (var i = 0; i < object.dim.length; ++i) {
              if (typeof object.dim[i] !== "object")
                throw TypeError(".onnx.TensorShapeProto.dim: object expected");
              message.dim[i] = $root.onnx.TensorShapeProto.Dimension.fromObject(object.dim[i]);
            }
          }
          return message;
        };
        TensorShapeProto.toObject = function toObject(message, options2) {
          if (!options2)
            options2 = {};
          var object = {};
          if (options2.arrays || options2.defaults)
            object.dim = [];
          if (message.dim && message.dim.length) {
            object.dim = [];
            for (var j = 0; j < message.dim.length; ++j)
              object.dim[j] = $root.onnx.TensorShapeProto.Dimension.toObject(message.dim[j], options2);
          }
          return object;
        };
        TensorShapeProto.prototype.toJSON = function toJSON() {
          return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
        };
        TensorShapeProto.Dimension = (function() {
          function Dimension(properties) {
            if (properties) {
              for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                if (properties[keys[i]] != null)
                  this[keys[i]] = properties[keys[i]];
            }
          }
          Dimension.prototype.dimValue = null;
          Dimension.prototype.dimParam = null;
          Dimension.prototype.denotation = "";
          var $oneOfFields;
          Object.defineProperty(Dimension.prototype, "value", {
            get: $util.oneOfGetter($oneOfFields = ["dimValue", "dimParam"]),
            set: $util.oneOfSetter($oneOfFields)
          });
          Dimension.create = function create(properties) {
            return new Dimension(properties);
          };
          Dimension.encode = function encode(message, writer) {
            if (!writer)
              writer = $Writer.create();
            if (message.dimValue != null && Object.hasOwnProperty.call(message, "dimValue"))
              writer.uint32(
                /* id 1, wireType 0 =*/
                8
              ).int64(message.dimValue);
            if (message.dimParam != null && Object.hasOwnProperty.call(message, "dimParam"))
              writer.uint32(
                /* id 2, wireType 2 =*/
                18
              ).string(message.dimParam);
            if (message.denotation != null && Object.hasOwnProperty.call(message, "denotation"))
              writer.uint32(
                /* id 3, wireType 2 =*/
                26
              ).string(message.denotation);
            return writer;
          };
          Dimension.encodeDelimited = function encodeDelimited(message, writer) {
            return this.encode(message, writer).ldelim();
          };
          Dimension.decode = function decode(reader, length) {
            if (!(reader instanceof $Reader))
              reader = $Reader.create(reader);
            var end = length === void 0 ? reader.len : reader.pos + length, message = new $root.onnx.TensorShapeProto.Dimension();
            while (reader.pos < end) {
              var tag = reader.uint32();
              switch (tag >>> 3) {
                case 1:
                  message.dimValue = reader.int64();
                  break;
                case 2:
                  message.dimParam = reader.string();
                  break;
                case 3:
                  message.denotation = reader.string();
                  break;
                default:
                  reader.skipType(tag & 7);
                  break;
              }
            }
            return message;
          };
          Dimension.decodeDelimited = function decodeDelimited(reader) {
            if (!(reader instanceof $Reader))
              reader = new $Reader(reader);
            return this.decode(reader, reader.uint32());
          };
          Dimension.verify = function verify(message) {
            if (typeof message !== "object" || message === null)
              return "object expected";
            var properties = {};
            if (message.dimValue != null && message.hasOwnProperty("dimValue")) {
              properties.value = 1;
              if (!$util.isInteger(message.dimValue) && !(message.dimValue && $util.isInteger(message.dimValue.low) && $util.isInteger(message.dimValue.high)))
                return "dimValue: integer|Long expected";
            }
            if (message.dimParam != null && message.hasOwnProperty("dimParam")) {
              if (properties.value === 1)
                return "value: multiple values";
              properties.value = 1;
              if (!$util.isString(message.dimParam))
                return "dimParam: string expected";
            }
            if (message.denotation != null && message.hasOwnProperty("denotation")) {
              if (!$util.isString(message.denotation))
                return "denotation: string expected";
            }
            return null;
          };
          Dimension.fromObject = function fromObject(object) {
            if (object instanceof $root.onnx.TensorShapeProto.Dimension)
              return object;
            var message = new $root.onnx.TensorShapeProto.Dimension();
            if (object.dimValue != null) {
              if ($util.Long)
                (message.dimValue = $util.Long.fromValue(object.dimValue)).unsigned = false;
              else if (typeof object.dimValue === "string")
                message.dimValue = parseInt(object.dimValue, 10);
              else if (typeof object.dimValue === "number")
                message.dimValue = object.dimValue;
              else if (typeof object.dimValue === "object")
                message.dimValue = new $util.LongBits(object.dimValue.low >>> 0, object.dimValue.high >>> 0).toNumber();
            }
            if (object.dimParam != null)
              message.dimParam = String(object.dimParam);
            if (object.denotation != null)
              message.denotation = String(object.denotation);
            return message;
          };
          Dimension.toObject = function toObject(message, options2) {
            if (!options2)
              options2 = {};
            var object = {};
            if (options2.defaults)
              object.denotation = "";
            if (message.dimValue != null && message.hasOwnProperty("dimValue")) {
              if (typeof message.dimValue === "number")
                object.dimValue = options2.longs === String ? String(message.dimValue) : message.dimValue;
              else
                object.dimValue = options2.longs === String ? $util.Long.prototype.toString.call(message.dimValue) : options2.longs === Number ? new $util.LongBits(message.dimValue.low >>> 0, message.dimValue.high >>> 0).toNumber() : message.dimValue;
              if (options2.oneofs)
                object.value = "dimValue";
            }
            if (message.dimParam != null && message.hasOwnProperty("dimParam")) {
              object.dimParam = message.dimParam;
              if (options2.oneofs)
                object.value = "dimParam";
            }
            if (message.denotation != null && message.hasOwnProperty("denotation"))
              object.denotation = message.denotation;
            return object;
          };
          Dimension.prototype.toJSON = function toJSON() {
            return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
          };
          return Dimension;
        })();
        return TensorShapeProto;
      })();
      onnx2.TypeProto = (function() {
        function TypeProto(properties) {
          if (properties) {
            for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
              if (properties[keys[i]] != null)
                this[keys[i]] = properties[keys[i]];
          }
        }
        TypeProto.prototype.tensorType = null;
        TypeProto.prototype.sequenceType = null;
        TypeProto.prototype.mapType = null;
        TypeProto.prototype.optionalType = null;
        TypeProto.prototype.sparseTensorType = null;
        TypeProto.prototype.denotation = "";
        var $oneOfFields;
        Object.defineProperty(TypeProto.prototype, "value", {
          get: $util.oneOfGetter($oneOfFields = ["tensorType", "sequenceType", "mapType", "optionalType", "sparseTensorType"]),
          set: $util.oneOfSetter($oneOfFields)
        });
        TypeProto.create = function create(properties) {
          return new TypeProto(properties);
        };
        TypeProto.encode = function encode(message, writer) {
          if (!writer)
            writer = $Writer.create();
          if (message.tensorType != null && Object.hasOwnProperty.call(message, "tensorType"))
            $root.onnx.TypeProto.Tensor.encode(message.tensorType, writer.uint32(
              /* id 1, wireType 2 =*/
              10
            ).fork()).ldelim();
          if (message.sequenceType != null && Object.hasOwnProperty.call(message, "sequenceType"))
            $root.onnx.TypeProto.Sequence.encode(message.sequenceType, writer.uint32(
              /* id 4, wireType 2 =*/
              34
            ).fork()).ldelim();
          if (message.mapType != null && Object.hasOwnProperty.call(message, "mapType"))
            $root.onnx.TypeProto.Map.encode(message.mapType, writer.uint32(
              /* id 5, wireType 2 =*/
              42
            ).fork()).ldelim();
          if (message.denotation != null && Object.hasOwnProperty.call(message, "denotation"))
            writer.uint32(
              /* id 6, wireType 2 =*/
              50
            ).string(message.denotation);
          if (message.sparseTensorType != null && Object.hasOwnProperty.call(message, "sparseTensorType"))
            $root.onnx.TypeProto.SparseTensor.encode(message.sparseTensorType, writer.uint32(
              /* id 8, wireType 2 =*/
              66
            ).fork()).ldelim();
          if (message.optionalType != null && Object.hasOwnProperty.call(message, "optionalType"))
            $root.onnx.TypeProto.Optional.encode(message.optionalType, writer.uint32(
              /* id 9, wireType 2 =*/
              74
            ).fork()).ldelim();
          return writer;
        };
        TypeProto.encodeDelimited = function encodeDelimited(message, writer) {
          return this.encode(message, writer).ldelim();
        };
        TypeProto.decode = function decode(reader, length) {
          if (!(reader instanceof $Reader))
            reader = $Reader.create(reader);
          var end = length === void 0 ? reader.len : reader.pos + length, message = new $root.onnx.TypeProto();
          while (reader.pos < end) {
            var tag = reader.uint32();
            switch (tag >>> 3) {
              case 1:
                message.tensorType = $root.onnx.TypeProto.Tensor.decode(reader, reader.uint32());
                break;
              case 4:
                message.sequenceType = $root.onnx.TypeProto.Sequence.decode(reader, reader.uint32());
                break;
              case 5:
                message.mapType = $root.onnx.TypeProto.Map.decode(reader, reader.uint32());
                break;
              case 9:
                message.optionalType = $root.onnx.TypeProto.Optional.decode(reader, reader.uint32());
                break;
              case 8:
                message.sparseTensorType = $root.onnx.TypeProto.SparseTensor.decode(reader, reader.uint32());
                break;
              case 6:
                message.denotation = reader.string();
                break;
              default:
                reader.skipType(tag & 7);
                break;
            }
          }
          return message;
        };
        TypeProto.decodeDelimited = function decodeDelimited(reader) {
          if (!(reader instanceof $Reader))
            reader = new $Reader(reader);
          return this.decode(reader, reader.uint32());
        };
        TypeProto.verify = function verify(message) {
          if (typeof message !== "object" || message === null)
            return "object expected";
          var properties = {};
          if (message.tensorType != null && message.hasOwnProperty("tensorType")) {
            properties.value = 1;
            {
              var error = $root.onnx.TypeProto.Tensor.verify(message.tensorType);
              if (error)
                return "tensorType." + error;
            }
          }
          if (message.sequenceType != null && message.hasOwnProperty("sequenceType")) {
            if (properties.value === 1)
              return "value: multiple values";
            properties.value = 1;
            {
              var error = $root.onnx.TypeProto.Sequence.verify(message.sequenceType);
              if (error)
                return "sequenceType." + error;
            }
          }
          if (message.mapType != null && message.hasOwnProperty("mapType")) {
            if (properties.value === 1)
              return "value: multiple values";
            properties.value = 1;
            {
              var error = $root.onnx.TypeProto.Map.verify(message.mapType);
              if (error)
                return "mapType." + error;
            }
          }
          if (message.optionalType != null && message.hasOwnProperty("optionalType")) {
            if (properties.value === 1)
              return "value: multiple values";
            properties.value = 1;
            {
              var error = $root.onnx.TypeProto.Optional.verify(message.optionalType);
              if (error)
                return "optionalType." + error;
            }
          }
          if (message.sparseTensorType != null && message.hasOwnProperty("sparseTensorType")) {
            if (properties.value === 1)
              return "value: multiple values";
            properties.value = 1;
            {
              var error = $root.onnx.TypeProto.SparseTensor.verify(message.sparseTensorType);
              if (error)
                return "sparseTensorType." + error;
            }
          }
          if (message.denotation != null && message.hasOwnProperty("denotation")) {
            if (!$util.isString(message.denotation))
              return "denotation: string expected";
          }
          return null;
        };
        TypeProto.fromObject = function fromObject(object) {
          if (object instanceof $root.onnx.TypeProto)
            return object;
          var message = new $root.onnx.TypeProto();
          if (object.tensorType != null) {
            if (typeof object.tensorType !== "object")
              throw TypeError(".onnx.TypeProto.tensorType: object expected");
            message.tensorType = $root.onnx.TypeProto.Tensor.fromObject(object.tensorType);
          }
          if (object.sequenceType != null) {
            if (typeof object.sequenceType !== "object")
              throw TypeError(".onnx.TypeProto.sequenceType: object expected");
            message.sequenceType = $root.onnx.TypeProto.Sequence.fromObject(object.sequenceType);
          }
          if (object.mapType != null) {
            if (typeof object.mapType !== "object")
              throw TypeError(".onnx.TypeProto.mapType: object expected");
            message.mapType = $root.onnx.TypeProto.Map.fromObject(object.mapType);
          }
          if (object.optionalType != null) {
            if (typeof object.optionalType !== "object")
              throw TypeError(".onnx.TypeProto.optionalType: object expected");
            message.optionalType = $root.onnx.TypeProto.Optional.fromObject(object.optionalType);
          }
          if (object.sparseTensorType != null) {
            if (typeof object.sparseTensorType !== "object")
              throw TypeError(".onnx.TypeProto.sparseTensorType: object expected");
            message.sparseTensorType = $root.onnx.TypeProto.SparseTensor.fromObject(object.sparseTensorType);
          }
          if (object.denotation != null)
            message.denotation = String(object.denotation);
          return message;
        };
        TypeProto.toObject = function toObject(message, options2) {
          if (!options2)
            options2 = {};
          var object = {};
          if (options2.defaults)
            object.denotation = "";
          if (message.tensorType != null && message.hasOwnProperty("tensorType")) {
            object.tensorType = $root.onnx.TypeProto.Tensor.toObject(message.tensorType, options2);
            if (options2.oneofs)
              object.value = "tensorType";
          }
          if (message.sequenceType != null && message.hasOwnProperty("sequenceType")) {
            object.sequenceType = $root.onnx.TypeProto.Sequence.toObject(message.sequenceType, options2);
            if (options2.oneofs)
              object.value = "sequenceType";
          }
          if (message.mapType != null && message.hasOwnProperty("mapType")) {
            object.mapType = $root.onnx.TypeProto.Map.toObject(message.mapType, options2);
            if (options2.oneofs)
              object.value = "mapType";
          }
          if (message.denotation != null && message.hasOwnProperty("denotation"))
            object.denotation = message.denotation;
          if (message.sparseTensorType != null && message.hasOwnProperty("sparseTensorType")) {
            object.sparseTensorType = $root.onnx.TypeProto.SparseTensor.toObject(message.sparseTensorType, options2);
            if (options2.oneofs)
              object.value = "sparseTensorType";
          }
          if (message.optionalType != null && message.hasOwnProperty("optionalType")) {
            object.optionalType = $root.onnx.TypeProto.Optional.toObject(message.optionalType, options2);
            if (options2.oneofs)
              object.value = "optionalType";
          }
          return object;
        };
        TypeProto.prototype.toJSON = function toJSON() {
          return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
        };
        TypeProto.Tensor = (function() {
          function Tensor(properties) {
            if (properties) {
              for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                if (properties[keys[i]] != null)
                  this[keys[i]] = properties[keys[i]];
            }
          }
          Tensor.prototype.elemType = 0;
          Tensor.prototype.shape = null;
          Tensor.create = function create(properties) {
            return new Tensor(properties);
          };
          Tensor.encode = function encode(message, writer) {
            if (!writer)
              writer = $Writer.create();
            if (message.elemType != null && Object.hasOwnProperty.call(message, "elemType"))
              writer.uint32(
                /* id 1, wireType 0 =*/
                8
              ).int32(message.elemType);
            if (message.shape != null && Object.hasOwnProperty.call(message, "shape"))
              $root.onnx.TensorShapeProto.encode(message.shape, writer.uint32(
                /* id 2, wireType 2 =*/
                18
              ).fork()).ldelim();
            return writer;
          };
          Tensor.encodeDelimited = function encodeDelimited(message, writer) {
            return this.encode(message, writer).ldelim();
          };
          Tensor.decode = function decode(reader, length) {
            if (!(reader instanceof $Reader))
              reader = $Reader.create(reader);
            var end = length === void 0 ? reader.len : reader.pos + length, message = new $root.onnx.TypeProto.Tensor();
            while (reader.pos < end) {
              var tag = reader.uint32();
              switch (tag >>> 3) {
                case 1:
                  message.elemType = reader.int32();
                  break;
                case 2:
                  message.shape = $root.onnx.TensorShapeProto.decode(reader, reader.uint32());
                  break;
                default:
                  reader.skipType(tag & 7);
                  break;
              }
            }
            return message;
          };
          Tensor.decodeDelimited = function decodeDelimited(reader) {
            if (!(reader instanceof $Reader))
              reader = new $Reader(reader);
            return this.decode(reader, reader.uint32());
          };
          Tensor.verify = function verify(message) {
            if (typeof message !== "object" || message === null)
              return "object expected";
            if (message.elemType != null && message.hasOwnProperty("elemType")) {
              if (!$util.isInteger(message.elemType))
                return "elemType: integer expected";
            }
            if (message.shape != null && message.hasOwnProperty("shape")) {
              var error = $root.onnx.TensorShapeProto.verify(message.shape);
              if (error)
                return "shape." + error;
            }
            return null;
          };
          Tensor.fromObject = function fromObject(object) {
            if (object instanceof $root.onnx.TypeProto.Tensor)
              return object;
            var message = new $root.onnx.TypeProto.Tensor();
            if (object.elemType != null)
              message.elemType = object.elemType | 0;
            if (object.shape != null) {
              if (typeof object.shape !== "object")
                throw TypeError(".onnx.TypeProto.Tensor.shape: object expected");
              message.shape = $root.onnx.TensorShapeProto.fromObject(object.shape);
            }
            return message;
          };
          Tensor.toObject = function toObject(message, options2) {
            if (!options2)
              options2 = {};
            var object = {};
            if (options2.defaults) {
              object.elemType = 0;
              object.shape = null;
            }
            if (message.elemType != null && message.hasOwnProperty("elemType"))
              object.elemType = message.elemType;
            if (message.shape != null && message.hasOwnProperty("shape"))
              object.shape = $root.onnx.TensorShapeProto.toObject(message.shape, options2);
            return object;
          };
          Tensor.prototype.toJSON = function toJSON() {
            return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
          };
          return Tensor;
        })();
        TypeProto.Sequence = (function() {
          function Sequence(properties) {
            if (properties) {
              for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                if (properties[keys[i]] != null)
                  this[keys[i]] = properties[keys[i]];
            }
          }
          Sequence.prototype.elemType = null;
          Sequence.create = function create(properties) {
            return new Sequence(properties);
          };
          Sequence.encode = function encode(message, writer) {
            if (!writer)
              writer = $Writer.create();
            if (message.elemType != null && Object.hasOwnProperty.call(message, "elemType"))
              $root.onnx.TypeProto.encode(message.elemType, writer.uint32(
                /* id 1, wireType 2 =*/
                10
              ).fork()).ldelim();
            return writer;
          };
          Sequence.encodeDelimited = function encodeDelimited(message, writer) {
            return this.encode(message, writer).ldelim();
          };
          Sequence.decode = function decode(reader, length) {
            if (!(reader instanceof $Reader))
              reader = $Reader.create(reader);
            var end = length === void 0 ? reader.len : reader.pos + length, message = new $root.onnx.TypeProto.Sequence();
            while (reader.pos < end) {
              var tag = reader.uint32();
              switch (tag >>> 3) {
                case 1:
                  message.elemType = $root.onnx.TypeProto.decode(reader, reader.uint32());
                  break;
                default:
                  reader.skipType(tag & 7);
                  break;
              }
            }
            return message;
          };
          Sequence.decodeDelimited = function decodeDelimited(reader) {
            if (!(reader instanceof $Reader))
              reader = new $Reader(reader);
            return this.decode(reader, reader.uint32());
          };
          Sequence.verify = function verify(message) {
            if (typeof message !== "object" || message === null)
              return "object expected";
            if (message.elemType != null && message.hasOwnProperty("elemType")) {
              var error = $root.onnx.TypeProto.verify(message.elemType);
              if (error)
                return "elemType." + error;
            }
            return null;
          };
          Sequence.fromObject = function fromObject(object) {
            if (object instanceof $root.onnx.TypeProto.Sequence)
              return object;
            var message = new $root.onnx.TypeProto.Sequence();
            if (object.elemType != null) {
              if (typeof object.elemType !== "object")
                throw TypeError(".onnx.TypeProto.Sequence.elemType: object expected");
              message.elemType = $root.onnx.TypeProto.fromObject(object.elemType);
            }
            return message;
          };
          Sequence.toObject = function toObject(message, options2) {
            if (!options2)
              options2 = {};
            var object = {};
            if (options2.defaults)
              object.elemType = null;
            if (message.elemType != null && message.hasOwnProperty("elemType"))
              object.elemType = $root.onnx.TypeProto.toObject(message.elemType, options2);
            return object;
          };
          Sequence.prototype.toJSON = function toJSON() {
            return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
          };
          return Sequence;
        })();
        TypeProto.Map = (function() {
          function Map2(properties) {
            if (properties) {
              for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                if (properties[keys[i]] != null)
                  this[keys[i]] = properties[keys[i]];
            }
          }
          Map2.prototype.keyType = 0;
          Map2.prototype.valueType = null;
          Map2.create = function create(properties) {
            return new Map2(properties);
          };
          Map2.encode = function encode(message, writer) {
            if (!writer)
              writer = $Writer.create();
            if (message.keyType != null && Object.hasOwnProperty.call(message, "keyType"))
              writer.uint32(
                /* id 1, wireType 0 =*/
                8
              ).int32(message.keyType);
            if (message.valueType != null && Object.hasOwnProperty.call(message, "valueType"))
              $root.onnx.TypeProto.encode(message.valueType, writer.uint32(
                /* id 2, wireType 2 =*/
                18
              ).fork()).ldelim();
            return writer;
          };
          Map2.encodeDelimited = function encodeDelimited(message, writer) {
            return this.encode(message, writer).ldelim();
          };
          Map2.decode = function decode(reader, length) {
            if (!(reader instanceof $Reader))
              reader = $Reader.create(reader);
            var end = length === void 0 ? reader.len : reader.pos + length, message = new $root.onnx.TypeProto.Map();
            while (reader.pos < end) {
              var tag = reader.uint32();
              switch (tag >>> 3) {
                case 1:
                  message.keyType = reader.int32();
                  break;
                case 2:
                  message.valueType = $root.onnx.TypeProto.decode(reader, reader.uint32());
                  break;
                default:
                  reader.skipType(tag & 7);
                  break;
              }
            }
            return message;
          };
          Map2.decodeDelimited = function decodeDelimited(reader) {
            if (!(reader instanceof $Reader))
              reader = new $Reader(reader);
            return this.decode(reader, reader.uint32());
          };
          Map2.verify = function verify(message) {
            if (typeof message !== "object" || message === null)
              return "object expected";
            if (message.keyType != null && message.hasOwnProperty("keyType")) {
              if (!$util.isInteger(message.keyType))
                return "keyType: integer expected";
            }
            if (message.valueType != null && message.hasOwnProperty("valueType")) {
              var error = $root.onnx.TypeProto.verify(message.valueType);
              if (error)
                return "valueType." + error;
            }
            return null;
          };
          Map2.fromObject = function fromObject(object) {
            if (object instanceof $root.onnx.TypeProto.Map)
              return object;
            var message = new $root.onnx.TypeProto.Map();
            if (object.keyType != null)
              message.keyType = object.keyType | 0;
            if (object.valueType != null) {
              if (typeof object.valueType !== "object")
                throw TypeError(".onnx.TypeProto.Map.valueType: object expected");
              message.valueType = $root.onnx.TypeProto.fromObject(object.valueType);
            }
            return message;
          };
          Map2.toObject = function toObject(message, options2) {
            if (!options2)
              options2 = {};
            var object = {};
            if (options2.defaults) {
              object.keyType = 0;
              object.valueType = null;
            }
            if (message.keyType != null && message.hasOwnProperty("keyType"))
              object.keyType = message.keyType;
            if (message.valueType != null && message.hasOwnProperty("valueType"))
              object.valueType = $root.onnx.TypeProto.toObject(message.valueType, options2);
            return object;
          };
          Map2.prototype.toJSON = function toJSON() {
            return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
          };
          return Map2;
        })();
        TypeProto.Optional = (function() {
          function Optional(properties) {
            if (properties) {
              for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                if (properties[keys[i]] != null)
                  this[keys[i]] = properties[keys[i]];
            }
          }
          Optional.prototype.elemType = null;
          Optional.create = function create(properties) {
            return new Optional(properties);
          };
          Optional.encode = function encode(message, writer) {
            if (!writer)
              writer = $Writer.create();
            if (message.elemType != null && Object.hasOwnProperty.call(message, "elemType"))
              $root.onnx.TypeProto.encode(message.elemType, writer.uint32(
                /* id 1, wireType 2 =*/
                10
              ).fork()).ldelim();
            return writer;
          };
          Optional.encodeDelimited = function encodeDelimited(message, writer) {
            return this.encode(message, writer).ldelim();
          };
          Optional.decode = function decode(reader, length) {
            if (!(reader instanceof $Reader))
              reader = $Reader.create(reader);
            var end = length === void 0 ? reader.len : reader.pos + length, message = new $root.onnx.TypeProto.Optional();
            while (reader.pos < end) {
              var tag = reader.uint32();
              switch (tag >>> 3) {
                case 1:
                  message.elemType = $root.onnx.TypeProto.decode(reader, reader.uint32());
                  break;
                default:
                  reader.skipType(tag & 7);
                  break;
              }
            }
            return message;
          };
          Optional.decodeDelimited = function decodeDelimited(reader) {
            if (!(reader instanceof $Reader))
              reader = new $Reader(reader);
            return this.decode(reader, reader.uint32());
          };
          Optional.verify = function verify(message) {
            if (typeof message !== "object" || message === null)
              return "object expected";
            if (message.elemType != null && message.hasOwnProperty("elemType")) {
              var error = $root.onnx.TypeProto.verify(message.elemType);
              if (error)
                return "elemType." + error;
            }
            return null;
          };
          Optional.fromObject = function fromObject(object) {
            if (object instanceof $root.onnx.TypeProto.Optional)
              return object;
            var message = new $root.onnx.TypeProto.Optional();
            if (object.elemType != null) {
              if (typeof object.elemType !== "object")
                throw TypeError(".onnx.TypeProto.Optional.elemType: object expected");
              message.elemType = $root.onnx.TypeProto.fromObject(object.elemType);
            }
            return message;
          };
          Optional.toObject = function toObject(message, options2) {
            if (!options2)
              options2 = {};
            var object = {};
            if (options2.defaults)
              object.elemType = null;
            if (message.elemType != null && message.hasOwnProperty("elemType"))
              object.elemType = $root.onnx.TypeProto.toObject(message.elemType, options2);
            return object;
          };
          Optional.prototype.toJSON = function toJSON() {
            return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
          };
          return Optional;
        })();
        TypeProto.SparseTensor = (function() {
          function SparseTensor(properties) {
            if (properties) {
              for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                if (properties[keys[i]] != null)
                  this[keys[i]] = properties[keys[i]];
            }
          }
          SparseTensor.prototype.elemType = 0;
          SparseTensor.prototype.shape = null;
          SparseTensor.create = function create(properties) {
            return new SparseTensor(properties);
          };
          SparseTensor.encode = function encode(message, writer) {
            if (!writer)
              writer = $Writer.create();
            if (message.elemType != null && Object.hasOwnProperty.call(message, "elemType"))
              writer.uint32(
                /* id 1, wireType 0 =*/
                8
              ).int32(message.elemType);
            if (message.shape != null && Object.hasOwnProperty.call(message, "shape"))
              $root.onnx.TensorShapeProto.encode(message.shape, writer.uint32(
                /* id 2, wireType 2 =*/
                18
              ).fork()).ldelim();
            return writer;
          };
          SparseTensor.encodeDelimited = function encodeDelimited(message, writer) {
            return this.encode(message, writer).ldelim();
          };
          SparseTensor.decode = function decode(reader, length) {
            if (!(reader instanceof $Reader))
              reader = $Reader.create(reader);
            var end = length === void 0 ? reader.len : reader.pos + length, message = new $root.onnx.TypeProto.SparseTensor();
            while (reader.pos < end) {
              var tag = reader.uint32();
              switch (tag >>> 3) {
                case 1:
                  message.elemType = reader.int32();
                  break;
                case 2:
                  message.shape = $root.onnx.TensorShapeProto.decode(reader, reader.uint32());
                  break;
                default:
                  reader.skipType(tag & 7);
                  break;
              }
            }
            return message;
          };
          SparseTensor.decodeDelimited = function decodeDelimited(reader) {
            if (!(reader instanceof $Reader))
              reader = new $Reader(reader);
            return this.decode(reader, reader.uint32());
          };
          SparseTensor.verify = function verify(message) {
            if (typeof message !== "object" || message === null)
              return "object expected";
            if (message.elemType != null && message.hasOwnProperty("elemType")) {
              if (!$util.isInteger(message.elemType))
                return "elemType: integer expected";
            }
            if (message.shape != null && message.hasOwnProperty("shape")) {
              var error = $root.onnx.TensorShapeProto.verify(message.shape);
              if (error)
                return "shape." + error;
            }
            return null;
          };
          SparseTensor.fromObject = function fromObject(object) {
            if (object instanceof $root.onnx.TypeProto.SparseTensor)
              return object;
            var message = new $root.onnx.TypeProto.SparseTensor();
            if (object.elemType != null)
              message.elemType = object.elemType | 0;
            if (object.shape != null) {
              if (typeof object.shape !== "object")
                throw TypeError(".onnx.TypeProto.SparseTensor.shape: object expected");
              message.shape = $root.onnx.TensorShapeProto.fromObject(object.shape);
            }
            return message;
          };
          SparseTensor.toObject = function toObject(message, options2) {
            if (!options2)
              options2 = {};
            var object = {};
            if (options2.defaults) {
              object.elemType = 0;
              object.shape = null;
            }
            if (message.elemType != null && message.hasOwnProperty("elemType"))
              object.elemType = message.elemType;
            if (message.shape != null && message.hasOwnProperty("shape"))
              object.shape = $root.onnx.TensorShapeProto.toObject(message.shape, options2);
            return object;
          };
          SparseTensor.prototype.toJSON = function toJSON() {
            return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
          };
          return SparseTensor;
        })();
        return TypeProto;
      })();
      onnx2.OperatorSetIdProto = (function() {
        function OperatorSetIdProto(properties) {
          if (properties) {
            for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
              if (properties[keys[i]] != null)
                this[keys[i]] = properties[keys[i]];
          }
        }
        OperatorSetIdProto.prototype.domain = "";
        OperatorSetIdProto.prototype.version = $util.Long ? $util.Long.fromBits(0, 0, false) : 0;
        OperatorSetIdProto.create = function create(properties) {
          return new OperatorSetIdProto(properties);
        };
        OperatorSetIdProto.encode = function encode(message, writer) {
          if (!writer)
            writer = $Writer.create();
          if (message.domain != null && Object.hasOwnProperty.call(message, "domain"))
            writer.uint32(
              /* id 1, wireType 2 =*/
              10
            ).string(message.domain);
          if (message.version != null && Object.hasOwnProperty.call(message, "version"))
            writer.uint32(
              /* id 2, wireType 0 =*/
              16
            ).int64(message.version);
          return writer;
        };
        OperatorSetIdProto.encodeDelimited = function encodeDelimited(message, writer) {
          return this.encode(message, writer).ldelim();
        };
        OperatorSetIdProto.decode = function decode(reader, length) {
          if (!(reader instanceof $Reader))
            reader = $Reader.create(reader);
          var end = length === void 0 ? reader.len : reader.pos + length, message = new $root.onnx.OperatorSetIdProto();
          while (reader.pos < end) {
            var tag = reader.uint32();
            switch (tag >>> 3) {
              case 1:
                message.domain = reader.string();
                break;
              case 2:
                message.version = reader.int64();
                break;
              default:
                reader.skipType(tag & 7);
                break;
            }
          }
          return message;
        };
        OperatorSetIdProto.decodeDelimited = function decodeDelimited(reader) {
          if (!(reader instanceof $Reader))
            reader = new $Reader(reader);
          return this.decode(reader, reader.uint32());
        };
        OperatorSetIdProto.verify = function verify(message) {
          if (typeof message !== "object" || message === null)
            return "object expected";
          if (message.domain != null && message.hasOwnProperty("domain")) {
            if (!$util.isString(message.domain))
              return "domain: string expected";
          }
          if (message.version != null && message.hasOwnProperty("version")) {
            if (!$util.isInteger(message.version) && !(message.version && $util.isInteger(message.version.low) && $util.isInteger(message.version.high)))
              return "version: integer|Long expected";
          }
          return null;
        };
        OperatorSetIdProto.fromObject = function fromObject(object) {
          if (object instanceof $root.onnx.OperatorSetIdProto)
            return object;
          var message = new $root.onnx.OperatorSetIdProto();
          if (object.domain != null)
            message.domain = String(object.domain);
          if (object.version != null) {
            if ($util.Long)
              (message.version = $util.Long.fromValue(object.version)).unsigned = false;
            else if (typeof object.version === "string")
              message.version = parseInt(object.version, 10);
            else if (typeof object.version === "number")
              message.version = object.version;
            else if (typeof object.version === "object")
              message.version = new $util.LongBits(object.version.low >>> 0, object.version.high >>> 0).toNumber();
          }
          return message;
        };
        OperatorSetIdProto.toObject = function toObject(message, options2) {
          if (!options2)
            options2 = {};
          var object = {};
          if (options2.defaults) {
            object.domain = "";
            if ($util.Long) {
              var long = new $util.Long(0, 0, false);
              object.version = options2.longs === String ? long.toString() : options2.longs === Number ? long.toNumber() : long;
            } else
              object.version = options2.longs === String ? "0" : 0;
          }
          if (message.domain != null && message.hasOwnProperty("domain"))
            object.domain = message.domain;
          if (message.version != null && message.hasOwnProperty("version"))
            if (typeof message.version === "number")
              object.version = options2.longs === String ? String(message.version) : message.version;
            else
              object.version = options2.longs === String ? $util.Long.prototype.toString.call(message.version) : options2.longs === Number ? new $util.LongBits(message.version.low >>> 0, message.version.high >>> 0).toNumber() : message.version;
          return object;
        };
        OperatorSetIdProto.prototype.toJSON = function toJSON() {
          return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
        };
        return OperatorSetIdProto;
      })();
      onnx2.OperatorStatus = (function() {
        var valuesById = {}, values = Object.create(valuesById);
        values[valuesById[0] = "EXPERIMENTAL"] = 0;
        values[valuesById[1] = "STABLE"] = 1;
        return values;
      })();
      onnx2.FunctionProto = (function() {
        function FunctionProto(properties) {
          this.input = [];
          this.output = [];
          this.attribute = [];
          this.node = [];
          this.opsetImport = [];
          if (properties) {
            for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
              if (properties[keys[i]] != null)
                this[keys[i]] = properties[keys[i]];
          }
        }
        FunctionProto.prototype.name = "";
        FunctionProto.prototype.input = $util.emptyArray;
        FunctionProto.prototype.output = $util.emptyArray;
        FunctionProto.prototype.attribute = $util.emptyArray;
        FunctionProto.prototype.node = $util.emptyArray;
        FunctionProto.prototype.docString = "";
        FunctionProto.prototype.opsetImport = $util.emptyArray;
        FunctionProto.prototype.domain = "";
        FunctionProto.create = function create(properties) {
          return new FunctionProto(properties);
        };
        FunctionProto.encode = function encode(message, writer) {
          if (!writer)
            writer = $Writer.create();
          if (message.name != null && Object.hasOwnProperty.call(message, "name"))
            writer.uint32(
              /* id 1, wireType 2 =*/
              10
            ).string(message.name);
          if (message.input != null && message.input.length)
            for (var i = 0; i < message.input.length; ++i)
              writer.uint32(
                /* id 4, wireType 2 =*/
                34
              ).string(message.input[i]);
          if (message.output != null && message.output.length)
            for (var i = 0; i < message.output.length; ++i)
              writer.uint32(
                /* id 5, wireType 2 =*/
                42
              ).string(message.output[i]);
          if (message.attribute != null && message.attribute.length)
            for (var i = 0; i < message.attribute.length; ++i)
              writer.uint32(
                /* id 6, wireType 2 =*/
                50
              ).string(message.attribute[i]);
          if (message.node != null && message.node.length)
            for (var i = 0; i < message.node.length; ++i)
              $root.onnx.NodeProto.encode(message.node[i], writer.uint32(
                /* id 7, wireType 2 =*/
                58
              ).fork()).ldelim();
          if (message.docString != null && Object.hasOwnProperty.call(message, "docString"))
            writer.uint32(
              /* id 8, wireType 2 =*/
              66
            ).string(message.docString);
          if (message.opsetImport != null && message.opsetImport.length)
            for (var i = 0; i < message.opsetImport.length; ++i)
              $root.onnx.OperatorSetIdProto.encode(message.opsetImport[i], writer.uint32(
                /* id 9, wireType 2 =*/
                74
              ).fork()).ldelim();
          if (message.domain != null && Object.hasOwnProperty.call(message, "domain"))
            writer.uint32(
              /* id 10, wireType 2 =*/
              82
            ).string(message.domain);
          return writer;
        };
        FunctionProto.encodeDelimited = function encodeDelimited(message, writer) {
          return this.encode(message, writer).ldelim();
        };
        FunctionProto.decode = function decode(reader, length) {
          if (!(reader instanceof $Reader))
            reader = $Reader.create(reader);
          var end = length === void 0 ? reader.len : reader.pos + length, message = new $root.onnx.FunctionProto();
          while (reader.pos < end) {
            var tag = reader.uint32();
            switch (tag >>> 3) {
              case 1:
                message.name = reader.string();
                break;
              case 4:
                if (!(message.input && message.input.length))
                  message.input = [];
                message.input.push(reader.string());
                break;
              case 5:
                if (!(message.output && message.output.length))
                  message.output = [];
                message.output.push(reader.string());
                break;
              case 6:
                if (!(message.attribute && message.attribute.length))
                  message.attribute = [];
                message.attribute.push(reader.string());
                break;
              case 7:
                if (!(message.node && message.node.length))
                  message.node = [];
                message.node.push($root.onnx.NodeProto.decode(reader, reader.uint32()));
                break;
              case 8:
                message.docString = reader.string();
                break;
              case 9:
                if (!(message.opsetImport && message.opsetImport.length))
                  message.opsetImport = [];
                message.opsetImport.push($root.onnx.OperatorSetIdProto.decode(reader, reader.uint32()));
                break;
              case 10:
                message.domain = reader.string();
                break;
              default:
                reader.skipType(tag & 7);
                break;
            }
          }
          return message;
        };
        FunctionProto.decodeDelimited = function decodeDelimited(reader) {
          if (!(reader instanceof $Reader))
            reader = new $Reader(reader);
          return this.decode(reader, reader.uint32());
        };
        FunctionProto.verify = function verify(message) {
          if (typeof message !== "object" || message === null)
            return "object expected";
          if (message.name != null && message.hasOwnProperty("name")) {
            if (!$util.isString(message.name))
              return "name: string expected";
          }
          if (message.input != null && message.hasOwnProperty("input")) {
            if (!Array.isArray(message.input))
              return "input: array expected";
            for (var i = 0; i < message.input.length; ++i)
              if (!$util.isString(message.input[i]))
                return "input: string[] expected";
          }
          if (message.output != null && message.hasOwnProperty("output")) {
            if (!Array.isArray(message.output))
              return "output: array expected";
            for (var i = 0; i < message.output.length; ++i)
              if (!$util.isString(message.output[i]))
                return "output: string[] expected";
          }
          if (message.attribute != null && message.hasOwnProperty("attribute")) {
            if (!Array.isArray(message.attribute))
              return "attribute: array expected";
            for (var i = 0; i < message.attribute.length; ++i)
              if (!$util.isString(message.attribute[i]))
                return "attribute: string[] expected";
          }
          if (message.node != null && message.hasOwnProperty("node")) {
            if (!Array.isArray(message.node))
              return "node: array expected";
            for (var i = 0; i < message.node.length; ++i) {
              var error = $root.onnx.NodeProto.verify(message.node[i]);
              if (error)
                return "node." + error;
            }
          }
          if (message.docString != null && message.hasOwnProperty("docString")) {
            if (!$util.isString(message.docString))
              return "docString: string expected";
          }
          if (message.opsetImport != null && message.hasOwnProperty("opsetImport")) {
            if (!Array.isArray(message.opsetImport))
              return "opsetImport: array expected";
            for (var i = 0; i < message.opsetImport.length; ++i) {
              var error = $root.onnx.OperatorSetIdProto.verify(message.opsetImport[i]);
              if (error)
                return "opsetImport." + error;
            }
          }
          if (message.domain != null && message.hasOwnProperty("domain")) {
            if (!$util.isString(message.domain))
              return "domain: string expected";
          }
          return null;
        };
        FunctionProto.fromObject = function fromObject(object) {
          if (object instanceof $root.onnx.FunctionProto)
            return object;
          var message = new $root.onnx.FunctionProto();
          if (object.name != null)
            message.name = String(object.name);
          if (object.input) {
            if (!Array.isArray(object.input))
              throw TypeError(".onnx.FunctionProto.input: array expected");
            message.input = [];
            for (var i = 0; i < object.input.length; ++i)
              message.input[i] = String(object.input[i]);
          }
          if (object.output) {
            if (!Array.isArray(object.output))
              throw TypeError(".onnx.FunctionProto.output: array expected");
            message.output = [];
            for (var i = 0; i < object.output.length; ++i)
              message.output[i] = String(object.output[i]);
          }
          if (object.attribute) {
            if (!Array.isArray(object.attribute))
              throw TypeError(".onnx.FunctionProto.attribute: array expected");
            message.attribute = [];
            for (var i = 0; i < object.attribute.length; ++i)
              message.attribute[i] = String(object.attribute[i]);
          }
          if (object.node) {
            if (!Array.isArray(object.node))
              throw TypeError(".onnx.FunctionProto.node: array expected");
            message.node = [];
            for (var i = 0; i < object.node.length; ++i) {
              if (typeof object.node[i] !== "object")
                throw TypeError(".onnx.FunctionProto.node: object expected");
              message.node[i] = $root.onnx.NodeProto.fromObject(object.node[i]);
            }
          }
          if (object.docString != null)
            message.docString = String(object.docString);
          if (object.opsetImport) {
            if (!Array.isArray(object.opsetImport))
              throw TypeError(".onnx.FunctionProto.opsetImport: array expected");
            message.opsetImport = [];
            for (var i = 0; i < object.opsetImport.length; ++i) {
              if (typeof object.opsetImport[i] !== "object")
                throw TypeError(".onnx.FunctionProto.opsetImport: object expected");
              message.opsetImport[i] = $root.onnx.OperatorSetIdProto.fromObject(object.opsetImport[i]);
            }
          }
          if (object.domain != null)
            message.domain = String(object.domain);
          return message;
        };
        FunctionProto.toObject = function toObject(message, options2) {
          if (!options2)
            options2 = {};
          var object = {};
          if (options2.arrays || options2.defaults) {
            object.input = [];
            object.output = [];
            object.attribute = [];
            object.node = [];
            object.opsetImport = [];
          }
          if (options2.defaults) {
            object.name = "";
            object.docString = "";
            object.domain = "";
          }
          if (message.name != null && message.hasOwnProperty("name"))
            object.name = message.name;
          if (message.input && message.input.length) {
            object.input = [];
            for (var j = 0; j < message.input.length; ++j)
              object.input[j] = message.input[j];
          }
          if (message.output && message.output.length) {
            object.output = [];
            for (var j = 0; j < message.output.length; ++j)
              object.output[j] = message.output[j];
          }
          if (message.attribute && message.attribute.length) {
            object.attribute = [];
            for (var j = 0; j < message.attribute.length; ++j)
              object.attribute[j] = message.attribute[j];
          }
          if (message.node && message.node.length) {
            object.node = [];
            for (var j = 0; j < message.node.length; ++j)
              object.node[j] = $root.onnx.NodeProto.toObject(message.node[j], options2);
          }
          if (message.docString != null && message.hasOwnProperty("docString"))
            object.docString = message.docString;
          if (message.opsetImport && message.opsetImport.length) {
            object.opsetImport = [];
            for (var j = 0; j < message.opsetImport.length; ++j)
              object.opsetImport[j] = $root.onnx.OperatorSetIdProto.toObject(message.opsetImport[j], options2);
          }
          if (message.domain != null && message.hasOwnProperty("domain"))
            object.domain = message.domain;
          return object;
        };
        FunctionProto.prototype.toJSON = function toJSON() {
          return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
        };
        return FunctionProto;
      })();
      return onnx2;
    })();
    module.exports = $root;
  }
});

// node_modules/pend/index.js
var require_pend = __commonJS({
  "node_modules/pend/index.js"(exports, module) {
    module.exports = Pend;
    function Pend() {
      this.pending = 0;
      this.max = Infinity;
      this.listeners = [];
      this.waiting = [];
      this.error = null;
    }
    Pend.prototype.go = function(fn) {
      if (this.pending < this.max) {
        pendGo(this, fn);
      } else {
        this.waiting.push(fn);
      }
    };
    Pend.prototype.wait = function(cb) {
      if (this.pending === 0) {
        cb(this.error);
      } else {
        this.listeners.push(cb);
      }
    };
    Pend.prototype.hold = function() {
      return pendHold(this);
    };
    function pendHold(self2) {
      self2.pending += 1;
      var called = false;
      return onCb;
      function onCb(err) {
        if (called) throw new Error("callback called twice");
        called = true;
        self2.error = self2.error || err;
        self2.pending -= 1;
        if (self2.waiting.length > 0 && self2.pending < self2.max) {
          pendGo(self2, self2.waiting.shift());
        } else if (self2.pending === 0) {
          var listeners = self2.listeners;
          self2.listeners = [];
          listeners.forEach(cbListener);
        }
      }
      function cbListener(listener) {
        listener(self2.error);
      }
    }
    function pendGo(self2, fn) {
      fn(pendHold(self2));
    }
  }
});

// node_modules/yauzl/fd-slicer.js
var require_fd_slicer = __commonJS({
  "node_modules/yauzl/fd-slicer.js"(exports) {
    var fs = __require("fs");
    var util = __require("util");
    var stream = __require("stream");
    var Readable = stream.Readable;
    var PassThrough = stream.PassThrough;
    var Pend = require_pend();
    var EventEmitter = __require("events").EventEmitter;
    exports.BufferSlicer = BufferSlicer;
    exports.FdSlicer = FdSlicer;
    util.inherits(FdSlicer, EventEmitter);
    function FdSlicer(fd) {
      EventEmitter.call(this);
      this.fd = fd;
      this.pend = new Pend();
      this.pend.max = 1;
      this.refCount = 0;
    }
    FdSlicer.prototype.read = function(buffer, offset, length, position, callback) {
      var self2 = this;
      self2.pend.go(function(cb) {
        fs.read(self2.fd, buffer, offset, length, position, function(err, bytesRead, buffer2) {
          cb();
          callback(err, bytesRead, buffer2);
        });
      });
    };
    FdSlicer.prototype.createReadStream = function(options2) {
      return new ReadStream(this, options2);
    };
    FdSlicer.prototype.ref = function() {
      this.refCount += 1;
    };
    FdSlicer.prototype.unref = function() {
      var self2 = this;
      self2.refCount -= 1;
      if (self2.refCount < 0) throw new Error("invalid unref");
      if (self2.refCount > 0) return;
      fs.close(self2.fd, onCloseDone);
      function onCloseDone(err) {
        if (err) {
          self2.emit("error", err);
        } else {
          self2.emit("close");
        }
      }
    };
    util.inherits(ReadStream, Readable);
    function ReadStream(context, options2) {
      options2 = options2 || {};
      Readable.call(this, options2);
      this.context = context;
      this.context.ref();
      this.start = options2.start || 0;
      this.endOffset = options2.end;
      this.pos = this.start;
    }
    ReadStream.prototype._read = function(n) {
      var self2 = this;
      var toRead = Math.min(self2._readableState.highWaterMark, n);
      if (self2.endOffset != null) {
        toRead = Math.min(toRead, self2.endOffset - self2.pos);
      }
      if (toRead <= 0) {
        self2.push(null);
        this._cleanup();
        return;
      }
      self2.context.pend.go(function(cb) {
        var buffer = Buffer.allocUnsafe(toRead);
        fs.read(self2.context.fd, buffer, 0, toRead, self2.pos, function(err, bytesRead) {
          if (err) {
            self2.destroy(err);
          } else if (bytesRead === 0) {
            self2.push(null);
            self2._cleanup();
          } else {
            self2.pos += bytesRead;
            self2.push(buffer.slice(0, bytesRead));
          }
          cb();
        });
      });
    };
    ReadStream.prototype._destroy = function(err, cb) {
      this._cleanup();
      cb(err);
    };
    ReadStream.prototype._cleanup = function() {
      if (this.context != null) {
        this.context.unref();
        this.context = null;
      }
    };
    util.inherits(BufferSlicer, EventEmitter);
    function BufferSlicer(buffer) {
      EventEmitter.call(this);
      this.refCount = 0;
      this.buffer = buffer;
    }
    BufferSlicer.prototype.read = function(buffer, offset, length, position, callback) {
      if (!(0 <= offset && offset <= buffer.length)) throw new RangeError("offset outside buffer: 0 <= " + offset + " <= " + buffer.length);
      if (position < 0) throw new RangeError("position is negative: " + position);
      if (offset + length > buffer.length) {
        length = buffer.length - offset;
      }
      if (position + length > this.buffer.length) {
        length = this.buffer.length - position;
      }
      if (length <= 0) {
        setImmediate(function() {
          callback(null, 0);
        });
        return;
      }
      this.buffer.copy(buffer, offset, position, position + length);
      setImmediate(function() {
        callback(null, length);
      });
    };
    BufferSlicer.prototype.createReadStream = function(options2) {
      options2 = options2 || {};
      var readStream = new PassThrough(options2);
      readStream.start = options2.start || 0;
      readStream.endOffset = options2.end;
      readStream.pos = readStream.endOffset || this.buffer.length;
      var entireSlice = this.buffer.slice(readStream.start, readStream.pos);
      var maxChunkSize = 65536;
      var offset = 0;
      while (true) {
        var nextOffset = offset + maxChunkSize;
        if (nextOffset >= entireSlice.length) {
          if (offset < entireSlice.length) {
            readStream.write(entireSlice.slice(offset, entireSlice.length));
          }
          break;
        }
        readStream.write(entireSlice.slice(offset, nextOffset));
        offset = nextOffset;
      }
      readStream.end();
      return readStream;
    };
    BufferSlicer.prototype.ref = function() {
      this.refCount += 1;
    };
    BufferSlicer.prototype.unref = function() {
      this.refCount -= 1;
      if (this.refCount < 0) {
        throw new Error("invalid unref");
      }
    };
  }
});

// node_modules/yauzl/crc32.js
var require_crc32 = __commonJS({
  "node_modules/yauzl/crc32.js"(exports, module) {
    var CRC_TABLE2 = new Int32Array([
      0,
      1996959894,
      3993919788,
      2567524794,
      124634137,
      1886057615,
      3915621685,
      2657392035,
      249268274,
      2044508324,
      3772115230,
      2547177864,
      162941995,
      2125561021,
      3887607047,
      2428444049,
      498536548,
      1789927666,
      4089016648,
      2227061214,
      450548861,
      1843258603,
      4107580753,
      2211677639,
      325883990,
      1684777152,
      4251122042,
      2321926636,
      335633487,
      1661365465,
      4195302755,
      2366115317,
      997073096,
      1281953886,
      3579855332,
      2724688242,
      1006888145,
      1258607687,
      3524101629,
      2768942443,
      901097722,
      1119000684,
      3686517206,
      2898065728,
      853044451,
      1172266101,
      3705015759,
      2882616665,
      651767980,
      1373503546,
      3369554304,
      3218104598,
      565507253,
      1454621731,
      3485111705,
      3099436303,
      671266974,
      1594198024,
      3322730930,
      2970347812,
      795835527,
      1483230225,
      3244367275,
      3060149565,
      1994146192,
      31158534,
      2563907772,
      4023717930,
      1907459465,
      112637215,
      2680153253,
      3904427059,
      2013776290,
      251722036,
      2517215374,
      3775830040,
      2137656763,
      141376813,
      2439277719,
      3865271297,
      1802195444,
      476864866,
      2238001368,
      4066508878,
      1812370925,
      453092731,
      2181625025,
      4111451223,
      1706088902,
      314042704,
      2344532202,
      4240017532,
      1658658271,
      366619977,
      2362670323,
      4224994405,
      1303535960,
      984961486,
      2747007092,
      3569037538,
      1256170817,
      1037604311,
      2765210733,
      3554079995,
      1131014506,
      879679996,
      2909243462,
      3663771856,
      1141124467,
      855842277,
      2852801631,
      3708648649,
      1342533948,
      654459306,
      3188396048,
      3373015174,
      1466479909,
      544179635,
      3110523913,
      3462522015,
      1591671054,
      702138776,
      2966460450,
      3352799412,
      1504918807,
      783551873,
      3082640443,
      3233442989,
      3988292384,
      2596254646,
      62317068,
      1957810842,
      3939845945,
      2647816111,
      81470997,
      1943803523,
      3814918930,
      2489596804,
      225274430,
      2053790376,
      3826175755,
      2466906013,
      167816743,
      2097651377,
      4027552580,
      2265490386,
      503444072,
      1762050814,
      4150417245,
      2154129355,
      426522225,
      1852507879,
      4275313526,
      2312317920,
      282753626,
      1742555852,
      4189708143,
      2394877945,
      397917763,
      1622183637,
      3604390888,
      2714866558,
      953729732,
      1340076626,
      3518719985,
      2797360999,
      1068828381,
      1219638859,
      3624741850,
      2936675148,
      906185462,
      1090812512,
      3747672003,
      2825379669,
      829329135,
      1181335161,
      3412177804,
      3160834842,
      628085408,
      1382605366,
      3423369109,
      3138078467,
      570562233,
      1426400815,
      3317316542,
      2998733608,
      733239954,
      1555261956,
      3268935591,
      3050360625,
      752459403,
      1541320221,
      2607071920,
      3965973030,
      1969922972,
      40735498,
      2617837225,
      3943577151,
      1913087877,
      83908371,
      2512341634,
      3803740692,
      2075208622,
      213261112,
      2463272603,
      3855990285,
      2094854071,
      198958881,
      2262029012,
      4057260610,
      1759359992,
      534414190,
      2176718541,
      4139329115,
      1873836001,
      414664567,
      2282248934,
      4279200368,
      1711684554,
      285281116,
      2405801727,
      4167216745,
      1634467795,
      376229701,
      2685067896,
      3608007406,
      1308918612,
      956543938,
      2808555105,
      3495958263,
      1231636301,
      1047427035,
      2932959818,
      3654703836,
      1088359270,
      936918e3,
      2847714899,
      3736837829,
      1202900863,
      817233897,
      3183342108,
      3401237130,
      1404277552,
      615818150,
      3134207493,
      3453421203,
      1423857449,
      601450431,
      3009837614,
      3294710456,
      1567103746,
      711928724,
      3020668471,
      3272380065,
      1510334235,
      755167117
    ]);
    function crc323(buf) {
      let crc = -1;
      for (let x of buf) {
        crc = CRC_TABLE2[(crc ^ x) & 255] ^ crc >>> 8;
      }
      return (crc ^ -1) >>> 0;
    }
    module.exports = crc323;
  }
});

// node_modules/yauzl/index.js
var require_yauzl = __commonJS({
  "node_modules/yauzl/index.js"(exports) {
    var fs = __require("fs");
    var zlib2 = __require("zlib");
    var fd_slicer = require_fd_slicer();
    var util = __require("util");
    var EventEmitter = __require("events").EventEmitter;
    var Transform = __require("stream").Transform;
    var PassThrough = __require("stream").PassThrough;
    var Writable = __require("stream").Writable;
    var crc323 = typeof zlib2.crc32 === "function" ? zlib2.crc32 : require_crc32();
    exports.open = open2;
    exports.fromFd = fromFd;
    exports.fromBuffer = fromBuffer;
    exports.fromRandomAccessReader = fromRandomAccessReader;
    exports.openPromise = openPromise;
    exports.fromFdPromise = fromFdPromise;
    exports.fromBufferPromise = fromBufferPromise;
    exports.fromRandomAccessReaderPromise = fromRandomAccessReaderPromise;
    exports.dosDateTimeToDate = dosDateTimeToDate;
    exports.getFileNameLowLevel = getFileNameLowLevel;
    exports.validateFileName = validateFileName;
    exports.parseExtraFields = parseExtraFields;
    exports.ZipFile = ZipFile;
    exports.Entry = Entry;
    exports.LocalFileHeader = LocalFileHeader;
    exports.RandomAccessReader = RandomAccessReader;
    function openPromise(path, options2) {
      return new Promise((resolve, reject) => {
        open2(path, { ...options2, lazyEntries: true }, function(err, zipfile) {
          if (err) return reject(err);
          resolve(zipfile);
        });
      });
    }
    function fromFdPromise(fd, options2) {
      return new Promise((resolve, reject) => {
        fromFd(fd, { ...options2, lazyEntries: true }, function(err, zipfile) {
          if (err) return reject(err);
          resolve(zipfile);
        });
      });
    }
    function fromBufferPromise(buffer, options2) {
      return new Promise((resolve, reject) => {
        fromBuffer(buffer, { ...options2, lazyEntries: true }, function(err, zipfile) {
          if (err) return reject(err);
          resolve(zipfile);
        });
      });
    }
    function fromRandomAccessReaderPromise(reader, totalSize, options2) {
      return new Promise((resolve, reject) => {
        fromRandomAccessReader(reader, totalSize, { ...options2, lazyEntries: true }, function(err, zipfile) {
          if (err) return reject(err);
          resolve(zipfile);
        });
      });
    }
    function open2(path, options2, callback) {
      if (typeof options2 === "function") {
        callback = options2;
        options2 = null;
      }
      if (options2 == null) options2 = {};
      if (options2.autoClose == null) options2.autoClose = true;
      if (options2.lazyEntries == null) options2.lazyEntries = false;
      if (options2.decodeStrings == null) options2.decodeStrings = true;
      if (options2.validateEntrySizes == null) options2.validateEntrySizes = true;
      if (options2.strictFileNames == null) options2.strictFileNames = false;
      if (callback == null) callback = defaultCallback;
      fs.open(path, "r", function(err, fd) {
        if (err) return callback(err);
        fromFd(fd, options2, function(err2, zipfile) {
          if (err2) fs.close(fd, defaultCallback);
          callback(err2, zipfile);
        });
      });
    }
    function fromFd(fd, options2, callback) {
      if (typeof options2 === "function") {
        callback = options2;
        options2 = null;
      }
      if (options2 == null) options2 = {};
      if (options2.autoClose == null) options2.autoClose = false;
      if (options2.lazyEntries == null) options2.lazyEntries = false;
      if (options2.decodeStrings == null) options2.decodeStrings = true;
      if (options2.validateEntrySizes == null) options2.validateEntrySizes = true;
      if (options2.strictFileNames == null) options2.strictFileNames = false;
      if (callback == null) callback = defaultCallback;
      fs.fstat(fd, function(err, stats) {
        if (err) return callback(err);
        var reader = new fd_slicer.FdSlicer(fd);
        fromRandomAccessReader(reader, stats.size, options2, callback);
      });
    }
    function fromBuffer(buffer, options2, callback) {
      if (typeof options2 === "function") {
        callback = options2;
        options2 = null;
      }
      if (options2 == null) options2 = {};
      options2.autoClose = false;
      if (options2.lazyEntries == null) options2.lazyEntries = false;
      if (options2.decodeStrings == null) options2.decodeStrings = true;
      if (options2.validateEntrySizes == null) options2.validateEntrySizes = true;
      if (options2.strictFileNames == null) options2.strictFileNames = false;
      var reader = new fd_slicer.BufferSlicer(buffer);
      fromRandomAccessReader(reader, buffer.length, options2, callback);
    }
    function fromRandomAccessReader(reader, totalSize, options2, callback) {
      if (typeof options2 === "function") {
        callback = options2;
        options2 = null;
      }
      if (options2 == null) options2 = {};
      if (options2.autoClose == null) options2.autoClose = true;
      if (options2.lazyEntries == null) options2.lazyEntries = false;
      if (options2.decodeStrings == null) options2.decodeStrings = true;
      var decodeStrings = !!options2.decodeStrings;
      if (options2.validateEntrySizes == null) options2.validateEntrySizes = true;
      if (options2.strictFileNames == null) options2.strictFileNames = false;
      if (callback == null) callback = defaultCallback;
      if (typeof totalSize !== "number") throw new Error("expected totalSize parameter to be a number");
      if (totalSize > Number.MAX_SAFE_INTEGER) {
        throw new Error("zip file too large. only file sizes up to 2^52 are supported due to JavaScript's Number type being an IEEE 754 double.");
      }
      reader.ref();
      var eocdrWithoutCommentSize = 22;
      var zip64EocdlSize = 20;
      var maxCommentSize = 65535;
      var bufferSize = Math.min(zip64EocdlSize + eocdrWithoutCommentSize + maxCommentSize, totalSize);
      var buffer = newBuffer(bufferSize);
      var bufferReadStart = totalSize - buffer.length;
      readAndAssertNoEof(reader, buffer, 0, bufferSize, bufferReadStart, function(err) {
        if (err) return callback(err);
        for (var i = bufferSize - eocdrWithoutCommentSize; i >= 0; i -= 1) {
          if (buffer.readUInt32LE(i) !== 101010256) continue;
          var eocdrBuffer = buffer.subarray(i);
          var diskNumber = eocdrBuffer.readUInt16LE(4);
          var entryCount = eocdrBuffer.readUInt16LE(10);
          var centralDirectoryOffset = eocdrBuffer.readUInt32LE(16);
          var commentLength = eocdrBuffer.readUInt16LE(20);
          var expectedCommentLength = eocdrBuffer.length - eocdrWithoutCommentSize;
          if (commentLength !== expectedCommentLength) {
            return callback(new Error("Invalid comment length. Expected: " + expectedCommentLength + ". Found: " + commentLength + ". Are there extra bytes at the end of the file? Or is the end of central dir signature `PK\u263A\u263B` in the comment?"));
          }
          var comment = decodeStrings ? decodeBuffer(eocdrBuffer.subarray(22), false) : eocdrBuffer.subarray(22);
          if (i - zip64EocdlSize >= 0 && buffer.readUInt32LE(i - zip64EocdlSize) === 117853008) {
            var zip64EocdlBuffer = buffer.subarray(i - zip64EocdlSize, i - zip64EocdlSize + zip64EocdlSize);
            var zip64EocdrOffset = readUInt64LE(zip64EocdlBuffer, 8);
            var zip64EocdrBuffer = newBuffer(56);
            return readAndAssertNoEof(reader, zip64EocdrBuffer, 0, zip64EocdrBuffer.length, zip64EocdrOffset, function(err2) {
              if (err2) return callback(err2);
              if (zip64EocdrBuffer.readUInt32LE(0) !== 101075792) {
                return callback(new Error("invalid zip64 end of central directory record signature"));
              }
              diskNumber = zip64EocdrBuffer.readUInt32LE(16);
              if (diskNumber !== 0) {
                return callback(new Error("multi-disk zip files are not supported: found disk number: " + diskNumber));
              }
              entryCount = readUInt64LE(zip64EocdrBuffer, 32);
              centralDirectoryOffset = readUInt64LE(zip64EocdrBuffer, 48);
              return callback(null, new ZipFile(reader, centralDirectoryOffset, totalSize, entryCount, comment, options2.autoClose, options2.lazyEntries, decodeStrings, options2.validateEntrySizes, options2.strictFileNames));
            });
          }
          if (diskNumber !== 0) {
            return callback(new Error("multi-disk zip files are not supported: found disk number: " + diskNumber));
          }
          return callback(null, new ZipFile(reader, centralDirectoryOffset, totalSize, entryCount, comment, options2.autoClose, options2.lazyEntries, decodeStrings, options2.validateEntrySizes, options2.strictFileNames));
        }
        callback(new Error("End of central directory record signature not found. Either not a zip file, or file is truncated."));
      });
    }
    util.inherits(ZipFile, EventEmitter);
    function ZipFile(reader, centralDirectoryOffset, fileSize, entryCount, comment, autoClose, lazyEntries, decodeStrings, validateEntrySizes, strictFileNames) {
      var self2 = this;
      EventEmitter.call(self2);
      self2.reader = reader;
      self2.reader.on("error", function(err) {
        emitError(self2, err);
      });
      self2.reader.once("close", function() {
        self2.emit("close");
      });
      self2.readEntryCursor = centralDirectoryOffset;
      self2.fileSize = fileSize;
      self2.entryCount = entryCount;
      self2.comment = comment;
      self2.entriesRead = 0;
      self2.autoClose = !!autoClose;
      self2.lazyEntries = !!lazyEntries;
      self2.decodeStrings = !!decodeStrings;
      self2.validateEntrySizes = !!validateEntrySizes;
      self2.strictFileNames = !!strictFileNames;
      self2.isOpen = true;
      self2.emittedError = false;
      self2.hasEachEntryBeenCalled = false;
      if (!self2.lazyEntries) self2._readEntry();
    }
    ZipFile.prototype.close = function() {
      if (!this.isOpen) return;
      this.isOpen = false;
      this.reader.unref();
    };
    function emitErrorAndAutoClose(self2, err) {
      if (self2.autoClose) self2.close();
      emitError(self2, err);
    }
    function emitError(self2, err) {
      if (self2.emittedError) return;
      self2.emittedError = true;
      self2.emit("error", err);
    }
    ZipFile.prototype.readEntry = function() {
      if (!this.lazyEntries) throw new Error("readEntry() called without lazyEntries:true");
      this._readEntry();
    };
    ZipFile.prototype._readEntry = function() {
      var self2 = this;
      if (self2.entryCount === self2.entriesRead) {
        setImmediate(function() {
          if (self2.autoClose) self2.close();
          if (self2.emittedError) return;
          self2.emit("end");
        });
        return;
      }
      if (self2.emittedError) return;
      var buffer = newBuffer(46);
      readAndAssertNoEof(self2.reader, buffer, 0, buffer.length, self2.readEntryCursor, function(err) {
        if (err) return emitErrorAndAutoClose(self2, err);
        if (self2.emittedError) return;
        var entry = new Entry();
        var signature = buffer.readUInt32LE(0);
        if (signature !== 33639248) return emitErrorAndAutoClose(self2, new Error("invalid central directory file header signature: 0x" + signature.toString(16)));
        entry.versionMadeBy = buffer.readUInt16LE(4);
        entry.versionNeededToExtract = buffer.readUInt16LE(6);
        entry.generalPurposeBitFlag = buffer.readUInt16LE(8);
        entry.compressionMethod = buffer.readUInt16LE(10);
        entry.lastModFileTime = buffer.readUInt16LE(12);
        entry.lastModFileDate = buffer.readUInt16LE(14);
        entry.crc32 = buffer.readUInt32LE(16);
        entry.compressedSize = buffer.readUInt32LE(20);
        entry.uncompressedSize = buffer.readUInt32LE(24);
        entry.fileNameLength = buffer.readUInt16LE(28);
        entry.extraFieldLength = buffer.readUInt16LE(30);
        entry.fileCommentLength = buffer.readUInt16LE(32);
        entry.internalFileAttributes = buffer.readUInt16LE(36);
        entry.externalFileAttributes = buffer.readUInt32LE(38);
        entry.relativeOffsetOfLocalHeader = buffer.readUInt32LE(42);
        if (entry.generalPurposeBitFlag & 64) return emitErrorAndAutoClose(self2, new Error("strong encryption is not supported"));
        self2.readEntryCursor += 46;
        buffer = newBuffer(entry.fileNameLength + entry.extraFieldLength + entry.fileCommentLength);
        readAndAssertNoEof(self2.reader, buffer, 0, buffer.length, self2.readEntryCursor, function(err2) {
          if (err2) return emitErrorAndAutoClose(self2, err2);
          if (self2.emittedError) return;
          entry.fileNameRaw = buffer.subarray(0, entry.fileNameLength);
          var fileCommentStart = entry.fileNameLength + entry.extraFieldLength;
          entry.extraFieldRaw = buffer.subarray(entry.fileNameLength, fileCommentStart);
          entry.fileCommentRaw = buffer.subarray(fileCommentStart, fileCommentStart + entry.fileCommentLength);
          try {
            entry.extraFields = parseExtraFields(entry.extraFieldRaw);
          } catch (err3) {
            return emitErrorAndAutoClose(self2, err3);
          }
          if (self2.decodeStrings) {
            var isUtf8 = (entry.generalPurposeBitFlag & 2048) !== 0;
            entry.fileComment = decodeBuffer(entry.fileCommentRaw, isUtf8);
            entry.fileName = getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, self2.strictFileNames);
            var errorMessage = validateFileName(entry.fileName);
            if (errorMessage != null) return emitErrorAndAutoClose(self2, new Error(errorMessage));
          } else {
            entry.fileComment = entry.fileCommentRaw;
            entry.fileName = entry.fileNameRaw;
          }
          entry.comment = entry.fileComment;
          self2.readEntryCursor += buffer.length;
          self2.entriesRead += 1;
          for (var i = 0; i < entry.extraFields.length; i++) {
            var extraField = entry.extraFields[i];
            if (extraField.id !== 1) continue;
            var zip64EiefBuffer = extraField.data;
            var index = 0;
            if (entry.uncompressedSize === 4294967295) {
              if (index + 8 > zip64EiefBuffer.length) {
                return emitErrorAndAutoClose(self2, new Error("zip64 extended information extra field does not include uncompressed size"));
              }
              entry.uncompressedSize = readUInt64LE(zip64EiefBuffer, index);
              index += 8;
            }
            if (entry.compressedSize === 4294967295) {
              if (index + 8 > zip64EiefBuffer.length) {
                return emitErrorAndAutoClose(self2, new Error("zip64 extended information extra field does not include compressed size"));
              }
              entry.compressedSize = readUInt64LE(zip64EiefBuffer, index);
              index += 8;
            }
            if (entry.relativeOffsetOfLocalHeader === 4294967295) {
              if (index + 8 > zip64EiefBuffer.length) {
                return emitErrorAndAutoClose(self2, new Error("zip64 extended information extra field does not include relative header offset"));
              }
              entry.relativeOffsetOfLocalHeader = readUInt64LE(zip64EiefBuffer, index);
              index += 8;
            }
            break;
          }
          if (self2.validateEntrySizes && entry.compressionMethod === 0) {
            var expectedCompressedSize = entry.uncompressedSize;
            if (entry.isEncrypted()) {
              expectedCompressedSize += 12;
            }
            if (entry.compressedSize !== expectedCompressedSize) {
              var msg = "compressed/uncompressed size mismatch for stored file: " + entry.compressedSize + " != " + entry.uncompressedSize;
              return emitErrorAndAutoClose(self2, new Error(msg));
            }
          }
          self2.emit("entry", entry);
          if (!self2.lazyEntries) self2._readEntry();
        });
      });
    };
    ZipFile.prototype.eachEntry = function() {
      const self2 = this;
      if (!self2.lazyEntries) throw new Error("eachEntry() requires lazyEntries: true");
      if (self2.hasEachEntryBeenCalled) throw new Error("eachEntry() must only be called once per ZipFile");
      self2.hasEachEntryBeenCalled = true;
      let pendingResolveReject = null;
      self2.on("entry", onEntry);
      self2.on("end", onEnd);
      self2.on("error", onError);
      function cleanup() {
        self2.removeListener("entry", onEntry);
        self2.removeListener("end", onEnd);
        self2.removeListener("error", onError);
        if (self2.autoClose) self2.close();
      }
      function onEntry(entry) {
        let { resolve } = pendingResolveReject;
        pendingResolveReject = null;
        resolve({ value: entry });
      }
      function onEnd() {
        let { resolve } = pendingResolveReject;
        pendingResolveReject = null;
        cleanup();
        resolve({ done: true });
      }
      function onError(err) {
        let { reject } = pendingResolveReject;
        pendingResolveReject = null;
        cleanup();
        reject(err);
      }
      return {
        [Symbol.asyncIterator]() {
          return this;
        },
        next() {
          const promise = new Promise((resolve, reject) => {
            if (pendingResolveReject != null) throw new Error("next() called before previous Promise was resolved.");
            pendingResolveReject = { resolve, reject };
          });
          self2.readEntry();
          return promise;
        },
        return(value) {
          cleanup();
          return Promise.resolve({ done: true, value });
        },
        throw(value) {
          cleanup();
          return Promise.reject(value);
        }
      };
    };
    ZipFile.prototype.openReadStream = function(entry, options2, callback) {
      var self2 = this;
      var relativeStart = 0;
      var relativeEnd = entry.compressedSize;
      if (callback == null) {
        callback = options2;
        options2 = null;
      }
      if (options2 == null) {
        options2 = {};
      } else {
        if (options2.decodeFileData === false) {
          if (options2.decrypt != null) {
            throw new Error("cannot use options.decrypt when options.decodeFileData === false");
          }
          if (options2.decompress != null) {
            throw new Error("cannot use options.decompress when options.decodeFileData === false");
          }
        } else {
          if (options2.decrypt != null) {
            if (!entry.isEncrypted()) {
              throw new Error("options.decrypt can only be specified for encrypted entries. See also option decodeFileData.");
            }
            if (options2.decrypt !== false) throw new Error("invalid options.decrypt value: " + options2.decrypt);
            if (entry.isCompressed()) {
              if (options2.decompress !== false) throw new Error("entry is encrypted and compressed, and options.decompress !== false. See also option decodeFileData.");
            }
          }
          if (options2.decompress != null) {
            if (!entry.isCompressed()) {
              throw new Error("options.decompress can only be specified for compressed entries. See also option decodeFileData.");
            }
            if (!(options2.decompress === false || options2.decompress === true)) {
              throw new Error("invalid options.decompress value: " + options2.decompress);
            }
            decompress = options2.decompress;
          }
        }
        if (options2.start != null) {
          relativeStart = options2.start;
          if (relativeStart < 0) throw new Error("options.start < 0");
          if (relativeStart > entry.compressedSize) throw new Error("options.start > entry.compressedSize");
        }
        if (options2.end != null) {
          relativeEnd = options2.end;
          if (relativeEnd < 0) throw new Error("options.end < 0");
          if (relativeEnd > entry.compressedSize) throw new Error("options.end > entry.compressedSize");
          if (relativeEnd < relativeStart) throw new Error("options.end < options.start");
        }
      }
      var rawMode = options2.decodeFileData === false || // Explicitly requested raw.
      (entry.compressionMethod === 0 || // Naturally without compression.
      entry.compressionMethod === 8 && options2.decompress === false) && (!entry.isEncrypted() || // Naturally without encryption.
      options2.decrypt === false);
      if (options2.start != null || options2.end != null) {
        if (!rawMode) throw new Error("start/end range require options.decodeFileData === false for non-trivial encoded entries.");
      }
      if (!self2.isOpen) return callback(new Error("closed"));
      if (entry.isEncrypted() && !rawMode) {
        if (options2.decrypt !== false) return callback(new Error("entry is encrypted, and options.decodeFileData !== false"));
      }
      var decompress;
      if (rawMode) {
        decompress = false;
      } else if (entry.compressionMethod === 8) {
        decompress = options2.decodeFileData !== true;
      } else {
        return callback(new Error("unsupported compression method: " + entry.compressionMethod));
      }
      self2.readLocalFileHeader(entry, { minimal: true }, function(err, localFileHeader) {
        if (err) return callback(err);
        self2.openReadStreamLowLevel(
          localFileHeader.fileDataStart,
          entry.compressedSize,
          relativeStart,
          relativeEnd,
          decompress,
          entry.uncompressedSize,
          callback
        );
      });
    };
    ZipFile.prototype.openReadStreamLowLevel = function(fileDataStart, compressedSize, relativeStart, relativeEnd, decompress, uncompressedSize, callback) {
      var self2 = this;
      var fileDataEnd = fileDataStart + compressedSize;
      var readStream = self2.reader.createReadStream({
        start: fileDataStart + relativeStart,
        end: fileDataStart + relativeEnd
      });
      var endpointStream = readStream;
      if (decompress) {
        var destroyed = false;
        var inflateFilter = zlib2.createInflateRaw();
        readStream.on("error", function(err) {
          setImmediate(function() {
            if (!destroyed) inflateFilter.emit("error", err);
          });
        });
        readStream.pipe(inflateFilter);
        if (self2.validateEntrySizes) {
          endpointStream = new AssertByteCountStream(uncompressedSize);
          inflateFilter.on("error", function(err) {
            setImmediate(function() {
              if (!destroyed) endpointStream.emit("error", err);
            });
          });
          inflateFilter.pipe(endpointStream);
        } else {
          endpointStream = inflateFilter;
        }
        installDestroyFn(endpointStream, function() {
          destroyed = true;
          if (inflateFilter !== endpointStream) inflateFilter.unpipe(endpointStream);
          readStream.unpipe(inflateFilter);
          readStream.destroy();
        });
      }
      callback(null, endpointStream);
    };
    ZipFile.prototype.readLocalFileHeader = function(entry, options2, callback) {
      var self2 = this;
      if (callback == null) {
        callback = options2;
        options2 = null;
      }
      if (options2 == null) options2 = {};
      self2.reader.ref();
      var buffer = newBuffer(30);
      readAndAssertNoEof(self2.reader, buffer, 0, buffer.length, entry.relativeOffsetOfLocalHeader, function(err) {
        try {
          if (err) return callback(err);
          var signature = buffer.readUInt32LE(0);
          if (signature !== 67324752) {
            return callback(new Error("invalid local file header signature: 0x" + signature.toString(16)));
          }
          var fileNameLength = buffer.readUInt16LE(26);
          var extraFieldLength = buffer.readUInt16LE(28);
          var fileDataStart = entry.relativeOffsetOfLocalHeader + 30 + fileNameLength + extraFieldLength;
          if (fileDataStart + entry.compressedSize > self2.fileSize) {
            return callback(new Error("file data overflows file bounds: " + fileDataStart + " + " + entry.compressedSize + " > " + self2.fileSize));
          }
          if (options2.minimal) {
            return callback(null, { fileDataStart });
          }
          var localFileHeader = new LocalFileHeader();
          localFileHeader.fileDataStart = fileDataStart;
          localFileHeader.versionNeededToExtract = buffer.readUInt16LE(4);
          localFileHeader.generalPurposeBitFlag = buffer.readUInt16LE(6);
          localFileHeader.compressionMethod = buffer.readUInt16LE(8);
          localFileHeader.lastModFileTime = buffer.readUInt16LE(10);
          localFileHeader.lastModFileDate = buffer.readUInt16LE(12);
          localFileHeader.crc32 = buffer.readUInt32LE(14);
          localFileHeader.compressedSize = buffer.readUInt32LE(18);
          localFileHeader.uncompressedSize = buffer.readUInt32LE(22);
          localFileHeader.fileNameLength = fileNameLength;
          localFileHeader.extraFieldLength = extraFieldLength;
          buffer = newBuffer(fileNameLength + extraFieldLength);
          self2.reader.ref();
          readAndAssertNoEof(self2.reader, buffer, 0, buffer.length, entry.relativeOffsetOfLocalHeader + 30, function(err2) {
            try {
              if (err2) return callback(err2);
              localFileHeader.fileName = buffer.subarray(0, fileNameLength);
              localFileHeader.extraField = buffer.subarray(fileNameLength);
              return callback(null, localFileHeader);
            } finally {
              self2.reader.unref();
            }
          });
        } finally {
          self2.reader.unref();
        }
      });
    };
    ZipFile.prototype.openReadStreamPromise = function(entry, options2) {
      return new Promise((resolve, reject) => {
        this.openReadStream(entry, options2, function(err, readStream) {
          if (err) return reject(err);
          resolve(readStream);
        });
      });
    };
    ZipFile.prototype.openReadStreamLowLevelPromise = function(fileDataStart, compressedSize, relativeStart, relativeEnd, decompress, uncompressedSize) {
      return new Promise((resolve, reject) => {
        this.openReadStream(fileDataStart, compressedSize, relativeStart, relativeEnd, decompress, uncompressedSize, function(err, readStream) {
          if (err) return reject(err);
          resolve(readStream);
        });
      });
    };
    ZipFile.prototype.readLocalFileHeaderPromise = function(entry, options2) {
      return new Promise((resolve, reject) => {
        this.readLocalFileHeader(entry, options2, function(err, localFileHeader) {
          if (err) return reject(err);
          resolve(localFileHeader);
        });
      });
    };
    function Entry() {
    }
    Entry.prototype.getLastModDate = function(options2) {
      if (options2 == null) options2 = {};
      if (!options2.forceDosFormat) {
        for (var i = 0; i < this.extraFields.length; i++) {
          var extraField = this.extraFields[i];
          if (extraField.id === 21589) {
            var data = extraField.data;
            if (data.length < 5) continue;
            var flags = data[0];
            var HAS_MTIME = 1;
            if (!(flags & HAS_MTIME)) continue;
            var posixTimestamp = data.readInt32LE(1);
            return new Date(posixTimestamp * 1e3);
          } else if (extraField.id === 10) {
            var data = extraField.data;
            if (data.length !== 32) continue;
            if (data.readUInt16LE(4) !== 1) continue;
            if (data.readUInt16LE(6) !== 24) continue;
            var hundredNanoSecondsSince1601 = data.readUInt32LE(8) + 4294967296 * data.readInt32LE(12);
            var millisecondsSince1970 = hundredNanoSecondsSince1601 / 1e4 - 116444736e5;
            return new Date(millisecondsSince1970);
          }
        }
      }
      return dosDateTimeToDate(this.lastModFileDate, this.lastModFileTime, options2.timezone);
    };
    Entry.prototype.canDecodeFileData = function() {
      return !this.isEncrypted() && (this.compressionMethod === 0 || this.compressionMethod === 8);
    };
    Entry.prototype.isEncrypted = function() {
      return (this.generalPurposeBitFlag & 1) !== 0;
    };
    Entry.prototype.isCompressed = function() {
      return this.compressionMethod === 8;
    };
    function LocalFileHeader() {
    }
    function dosDateTimeToDate(date, time, timezone) {
      var day = date & 31;
      var month = (date >> 5 & 15) - 1;
      var year = (date >> 9 & 127) + 1980;
      var millisecond = 0;
      var second = (time & 31) * 2;
      var minute = time >> 5 & 63;
      var hour = time >> 11 & 31;
      if (timezone == null || timezone === "local") {
        return new Date(year, month, day, hour, minute, second, millisecond);
      } else if (timezone === "UTC") {
        return new Date(Date.UTC(year, month, day, hour, minute, second, millisecond));
      } else {
        throw new Error("unrecognized options.timezone: " + options.timezone);
      }
    }
    function getFileNameLowLevel(generalPurposeBitFlag, fileNameBuffer, extraFields, strictFileNames) {
      var fileName = null;
      for (var i = 0; i < extraFields.length; i++) {
        var extraField = extraFields[i];
        if (extraField.id === 28789) {
          if (extraField.data.length < 6) {
            continue;
          }
          if (extraField.data.readUInt8(0) !== 1) {
            continue;
          }
          var oldNameCrc32 = extraField.data.readUInt32LE(1);
          if (crc323(fileNameBuffer) !== oldNameCrc32) {
            continue;
          }
          fileName = decodeBuffer(extraField.data.subarray(5), true);
          break;
        }
      }
      if (fileName == null) {
        var isUtf8 = (generalPurposeBitFlag & 2048) !== 0;
        fileName = decodeBuffer(fileNameBuffer, isUtf8);
      }
      if (!strictFileNames) {
        fileName = fileName.replace(/\\/g, "/");
      }
      return fileName;
    }
    function validateFileName(fileName) {
      if (fileName.indexOf("\\") !== -1) {
        return "invalid characters in fileName: " + fileName;
      }
      if (/^[a-zA-Z]:/.test(fileName) || /^\//.test(fileName)) {
        return "absolute path: " + fileName;
      }
      if (fileName.split("/").indexOf("..") !== -1) {
        return "invalid relative path: " + fileName;
      }
      return null;
    }
    function parseExtraFields(extraFieldBuffer) {
      var extraFields = [];
      var i = 0;
      while (i < extraFieldBuffer.length - 3) {
        var headerId = extraFieldBuffer.readUInt16LE(i + 0);
        var dataSize = extraFieldBuffer.readUInt16LE(i + 2);
        var dataStart = i + 4;
        var dataEnd = dataStart + dataSize;
        if (dataEnd > extraFieldBuffer.length) throw new Error("extra field length exceeds extra field buffer size");
        var dataBuffer = extraFieldBuffer.subarray(dataStart, dataEnd);
        extraFields.push({
          id: headerId,
          data: dataBuffer
        });
        i = dataEnd;
      }
      return extraFields;
    }
    function readAndAssertNoEof(reader, buffer, offset, length, position, callback) {
      if (length === 0) {
        return setImmediate(function() {
          callback(null, newBuffer(0));
        });
      }
      reader.read(buffer, offset, length, position, function(err, bytesRead) {
        if (err) return callback(err);
        if (bytesRead < length) {
          return callback(new Error("unexpected EOF"));
        }
        callback();
      });
    }
    util.inherits(AssertByteCountStream, Transform);
    function AssertByteCountStream(byteCount) {
      Transform.call(this);
      this.actualByteCount = 0;
      this.expectedByteCount = byteCount;
    }
    AssertByteCountStream.prototype._transform = function(chunk, encoding, cb) {
      this.actualByteCount += chunk.length;
      if (this.actualByteCount > this.expectedByteCount) {
        var msg = "too many bytes in the stream. expected " + this.expectedByteCount + ". got at least " + this.actualByteCount;
        return cb(new Error(msg));
      }
      cb(null, chunk);
    };
    AssertByteCountStream.prototype._flush = function(cb) {
      if (this.actualByteCount < this.expectedByteCount) {
        var msg = "not enough bytes in the stream. expected " + this.expectedByteCount + ". got only " + this.actualByteCount;
        return cb(new Error(msg));
      }
      cb();
    };
    util.inherits(RandomAccessReader, EventEmitter);
    function RandomAccessReader() {
      EventEmitter.call(this);
      this.refCount = 0;
    }
    RandomAccessReader.prototype.ref = function() {
      this.refCount += 1;
    };
    RandomAccessReader.prototype.unref = function() {
      var self2 = this;
      self2.refCount -= 1;
      if (self2.refCount > 0) return;
      if (self2.refCount < 0) throw new Error("invalid unref");
      self2.close(onCloseDone);
      function onCloseDone(err) {
        if (err) return self2.emit("error", err);
        self2.emit("close");
      }
    };
    RandomAccessReader.prototype.createReadStream = function(options2) {
      if (options2 == null) options2 = {};
      var start = options2.start;
      var end = options2.end;
      if (start === end) {
        var emptyStream = new PassThrough();
        setImmediate(function() {
          emptyStream.end();
        });
        return emptyStream;
      }
      var stream = this._readStreamForRange(start, end);
      var destroyed = false;
      var refUnrefFilter = new RefUnrefFilter(this);
      stream.on("error", function(err) {
        setImmediate(function() {
          if (!destroyed) refUnrefFilter.emit("error", err);
        });
      });
      installDestroyFn(refUnrefFilter, function() {
        stream.unpipe(refUnrefFilter);
        refUnrefFilter.unref();
        stream.destroy();
      });
      var byteCounter = new AssertByteCountStream(end - start);
      refUnrefFilter.on("error", function(err) {
        setImmediate(function() {
          if (!destroyed) byteCounter.emit("error", err);
        });
      });
      installDestroyFn(byteCounter, function() {
        destroyed = true;
        refUnrefFilter.unpipe(byteCounter);
        refUnrefFilter.destroy();
      });
      return stream.pipe(refUnrefFilter).pipe(byteCounter);
    };
    RandomAccessReader.prototype._readStreamForRange = function(start, end) {
      throw new Error("not implemented");
    };
    RandomAccessReader.prototype.read = function(buffer, offset, length, position, callback) {
      var readStream = this.createReadStream({ start: position, end: position + length });
      var writeStream = new Writable();
      var written = 0;
      writeStream._write = function(chunk, encoding, cb) {
        chunk.copy(buffer, offset + written, 0, chunk.length);
        written += chunk.length;
        cb();
      };
      writeStream.on("finish", callback);
      readStream.on("error", function(error) {
        callback(error);
      });
      readStream.pipe(writeStream);
    };
    RandomAccessReader.prototype.close = function(callback) {
      setImmediate(callback);
    };
    util.inherits(RefUnrefFilter, PassThrough);
    function RefUnrefFilter(context) {
      PassThrough.call(this);
      this.context = context;
      this.context.ref();
      this.unreffedYet = false;
    }
    RefUnrefFilter.prototype._flush = function(cb) {
      this.unref();
      cb();
    };
    RefUnrefFilter.prototype.unref = function(cb) {
      if (this.unreffedYet) return;
      this.unreffedYet = true;
      this.context.unref();
    };
    var cp437 = "\0\u263A\u263B\u2665\u2666\u2663\u2660\u2022\u25D8\u25CB\u25D9\u2642\u2640\u266A\u266B\u263C\u25BA\u25C4\u2195\u203C\xB6\xA7\u25AC\u21A8\u2191\u2193\u2192\u2190\u221F\u2194\u25B2\u25BC !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\u2302\xC7\xFC\xE9\xE2\xE4\xE0\xE5\xE7\xEA\xEB\xE8\xEF\xEE\xEC\xC4\xC5\xC9\xE6\xC6\xF4\xF6\xF2\xFB\xF9\xFF\xD6\xDC\xA2\xA3\xA5\u20A7\u0192\xE1\xED\xF3\xFA\xF1\xD1\xAA\xBA\xBF\u2310\xAC\xBD\xBC\xA1\xAB\xBB\u2591\u2592\u2593\u2502\u2524\u2561\u2562\u2556\u2555\u2563\u2551\u2557\u255D\u255C\u255B\u2510\u2514\u2534\u252C\u251C\u2500\u253C\u255E\u255F\u255A\u2554\u2569\u2566\u2560\u2550\u256C\u2567\u2568\u2564\u2565\u2559\u2558\u2552\u2553\u256B\u256A\u2518\u250C\u2588\u2584\u258C\u2590\u2580\u03B1\xDF\u0393\u03C0\u03A3\u03C3\xB5\u03C4\u03A6\u0398\u03A9\u03B4\u221E\u03C6\u03B5\u2229\u2261\xB1\u2265\u2264\u2320\u2321\xF7\u2248\xB0\u2219\xB7\u221A\u207F\xB2\u25A0\xA0";
    function decodeBuffer(buffer, isUtf8) {
      if (isUtf8) {
        return buffer.toString("utf8");
      } else {
        var result = "";
        for (var i = 0; i < buffer.length; i++) {
          result += cp437[buffer[i]];
        }
        return result;
      }
    }
    function readUInt64LE(buffer, offset) {
      var lower32 = buffer.readUInt32LE(offset);
      var upper32 = buffer.readUInt32LE(offset + 4);
      return upper32 * 4294967296 + lower32;
    }
    var newBuffer;
    if (typeof Buffer.allocUnsafe === "function") {
      newBuffer = function(len) {
        return Buffer.allocUnsafe(len);
      };
    } else {
      newBuffer = function(len) {
        return new Buffer(len);
      };
    }
    function installDestroyFn(stream, fn) {
      if (typeof stream.destroy === "function") {
        stream._destroy = function(err, cb) {
          fn();
          if (cb != null) cb(err);
        };
      } else {
        stream.destroy = fn;
      }
    }
    function defaultCallback(err) {
      if (err) throw err;
    }
  }
});

// src/core/training/head-settings.ts
function headSettings(config) {
  const settings = [
    config.solver === "lbfgs" ? "L-BFGS" : `Adam, lr ${config.learningRate}, batch ${config.batchSize}, hidden [${config.hiddenUnits.join(",")}], dropout ${config.dropout}`,
    `L2 ${config.weightDecay}`
  ];
  if (config.labelSmoothing) settings.push(`label smoothing ${config.labelSmoothing}`);
  if (config.scaling === "global") settings.push("one scale for all features");
  if (config.schedule === "cosine" && config.solver !== "lbfgs") settings.push("cosine learning-rate decay");
  return settings.join(", ");
}

// src/core/training/head.ts
import * as tf2 from "@tensorflow/tfjs";

// src/core/random.ts
import { createHash } from "node:crypto";
function createRng(seed) {
  let a = seed >>> 0;
  return () => {
    a = a + 1831565813 >>> 0;
    let t = a;
    t = Math.imul(t ^ t >>> 15, t | 1);
    t ^= t + Math.imul(t ^ t >>> 7, t | 61);
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  };
}
function deriveSeed(seed, purpose) {
  return createHash("sha256").update(`${seed}:${purpose}`).digest().readUInt32LE(0);
}
function shuffleInPlace(items, rng) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

// src/core/training/linear-solver.ts
import * as tf from "@tensorflow/tfjs";
var LBFGS_MAX_ITERATIONS = 300;
var HISTORY = 10;
var GRADIENT_TOLERANCE = 1e-5;
var RELATIVE_DECREASE_TOLERANCE = 1e-7;
var ARMIJO = 1e-4;
var MAX_HALVINGS = 30;
var dot = (a, b) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
async function fitLinearSoftmax(train2, val, options2) {
  const k = options2.numClasses;
  const dim = train2.x.length / Math.max(1, train2.rows);
  const size3 = dim * k + k;
  const xTrain = tf.tensor2d(train2.x, [train2.rows, dim]);
  const xTrainT = tf.tidy(() => xTrain.transpose());
  const xVal = tf.tensor2d(val.x, [val.rows, dim]);
  const yTrain = tf.tensor1d(train2.y, "int32");
  const yVal = tf.tensor1d(val.y, "int32");
  const smoothing = options2.labelSmoothing;
  const targets = tf.tidy(
    () => tf.oneHot(yTrain, k).toFloat().mul(1 - smoothing).add(smoothing / k)
  );
  const rowWeights = tf.tidy(() => {
    const w = options2.classWeights ? tf.tensor1d(options2.classWeights).gather(yTrain) : tf.ones([train2.rows]);
    return w.div(Math.max(1, train2.rows)).reshape([train2.rows, 1]);
  });
  const parameters = (theta2) => ({
    kernel: tf.tensor2d(Float32Array.from(theta2.subarray(0, dim * k)), [dim, k]),
    bias: tf.tensor1d(Float32Array.from(theta2.subarray(dim * k)))
  });
  const evaluate2 = (theta2) => {
    const [objective, gradKernel, gradBias, plain, hits] = tf.tidy(() => {
      const { kernel, bias } = parameters(theta2);
      const logits = xTrain.matMul(kernel).add(bias);
      const logP = tf.logSoftmax(logits);
      const crossEntropy = targets.mul(logP).sum(1, true).neg();
      const objective2 = crossEntropy.mul(rowWeights).sum().add(
        kernel.square().sum().mul(options2.l2 / 2)
      );
      const dLogits = logP.exp().sub(targets).mul(rowWeights);
      const gradKernel2 = xTrainT.matMul(dLogits).add(kernel.mul(options2.l2));
      const gradBias2 = dLogits.sum(0);
      const plain2 = logP.mul(tf.oneHot(yTrain, k)).sum(1).neg().mean();
      const hits2 = logits.argMax(1).equal(yTrain).sum();
      return [objective2, gradKernel2, gradBias2, plain2, hits2];
    });
    const gradient = new Float64Array(size3);
    gradient.set(gradKernel.dataSync());
    gradient.set(gradBias.dataSync(), dim * k);
    const evaluation = { objective: objective.dataSync()[0], gradient, loss: plain.dataSync()[0], accuracy: hits.dataSync()[0] / Math.max(1, train2.rows) };
    tf.dispose([objective, gradKernel, gradBias, plain, hits]);
    return evaluation;
  };
  const validate = (theta2) => {
    if (val.rows === 0) return { loss: 0, accuracy: 0 };
    return tf.tidy(() => {
      const { kernel, bias } = parameters(theta2);
      const logits = xVal.matMul(kernel).add(bias);
      const loss = tf.logSoftmax(logits).mul(tf.oneHot(yVal, k)).sum(1).neg().mean();
      const hits = logits.argMax(1).equal(yVal).sum();
      return { loss: loss.dataSync()[0], accuracy: hits.dataSync()[0] / val.rows };
    });
  };
  let theta = new Float64Array(size3);
  let current = evaluate2(theta);
  const steps = [];
  const curve = [];
  const record = (iteration) => {
    const validation = validate(theta);
    const point = {
      epoch: iteration,
      trainLoss: current.loss,
      trainAccuracy: current.accuracy,
      valLoss: validation.loss,
      valAccuracy: validation.accuracy
    };
    curve.push(point);
    options2.onIteration?.(point);
  };
  let converged = false;
  let stoppedByDeadline = false;
  try {
    for (let iteration = 1; iteration <= options2.maxIterations; iteration++) {
      const g = current.gradient;
      if (g.reduce((m, v) => Math.max(m, Math.abs(v)), 0) < GRADIENT_TOLERANCE) {
        converged = true;
        break;
      }
      const q = Float64Array.from(g);
      const alphas = [];
      for (let i = steps.length - 1; i >= 0; i--) {
        const a = steps[i].rho * dot(steps[i].s, q);
        alphas[i] = a;
        for (let j = 0; j < size3; j++) q[j] -= a * steps[i].y[j];
      }
      const last = steps.at(-1);
      const scale = last ? dot(last.s, last.y) / dot(last.y, last.y) : 1 / Math.sqrt(dot(g, g));
      for (let j = 0; j < size3; j++) q[j] *= scale;
      for (let i = 0; i < steps.length; i++) {
        const b = steps[i].rho * dot(steps[i].y, q);
        for (let j = 0; j < size3; j++) q[j] += (alphas[i] - b) * steps[i].s[j];
      }
      const direction = q.map((v) => -v);
      const slope = dot(g, direction);
      if (!(slope < 0)) break;
      let step = 1;
      let next;
      let candidate = theta;
      for (let halving = 0; halving < MAX_HALVINGS; halving++) {
        candidate = theta.map((v, j) => v + step * direction[j]);
        const trial = evaluate2(candidate);
        if (trial.objective <= current.objective + ARMIJO * step * slope) {
          next = trial;
          break;
        }
        step /= 2;
      }
      if (!next) {
        converged = true;
        break;
      }
      const s = candidate.map((v, j) => v - theta[j]);
      const y = next.gradient.map((v, j) => v - g[j]);
      const sy = dot(s, y);
      if (sy > 1e-12) {
        steps.push({ s, y, rho: 1 / sy });
        if (steps.length > HISTORY) steps.shift();
      }
      const decrease = current.objective - next.objective;
      theta = candidate;
      current = next;
      record(iteration);
      if (decrease <= RELATIVE_DECREASE_TOLERANCE * Math.max(1, Math.abs(current.objective))) {
        converged = true;
        break;
      }
      if (options2.now() > options2.deadline && iteration < options2.maxIterations) {
        stoppedByDeadline = true;
        break;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (!curve.length) record(1);
  } finally {
    tf.dispose([xTrain, xTrainT, xVal, yTrain, yVal, targets, rowWeights]);
  }
  return { kernel: Float32Array.from(theta.subarray(0, dim * k)), bias: Float32Array.from(theta.subarray(dim * k)), curve, converged, stoppedByDeadline };
}

// src/core/training/head.ts
var IMBALANCE_RATIO = 1.5;
function classWeightsFor(y, numClasses, threshold = IMBALANCE_RATIO) {
  const counts = new Array(numClasses).fill(0);
  for (const label of y) counts[label]++;
  const present = counts.filter((c) => c > 0);
  const ratio = present.length < numClasses ? Infinity : Math.max(...counts) / Math.min(...counts);
  if (!(ratio > threshold) || y.length === 0) return { ratio, threshold, weights: null };
  const weights = Float32Array.from(counts, (c) => c ? y.length / (present.length * c) : 0);
  return { ratio, threshold, weights };
}
var TRAIN_METRIC_ROWS = 512;
var MIN_SCALE_SHARE = 0.1;
function standardisation(x, rows, dim, scaling) {
  const mean = new Float64Array(dim);
  const sq = new Float64Array(dim);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < dim; c++) {
      const v = x[r * dim + c];
      mean[c] += v;
      sq[c] += v * v;
    }
  }
  const m = new Float32Array(dim);
  const deviation = new Float64Array(dim);
  let spread = 0;
  for (let c = 0; c < dim; c++) {
    m[c] = mean[c] / rows;
    deviation[c] = Math.sqrt(Math.max(0, sq[c] / rows - m[c] * m[c]));
    spread += deviation[c];
  }
  const typical = spread / dim;
  const s = new Float32Array(dim);
  if (scaling === "global") return { mean: m, std: s.fill(typical > 0 ? typical : 1) };
  for (let c = 0; c < dim; c++) s[c] = Math.max(deviation[c] > 1e-6 ? deviation[c] : 1, MIN_SCALE_SHARE * typical);
  return { mean: m, std: s };
}
function standardised(x, mean, std) {
  const dim = mean.length;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i] - mean[i % dim]) / std[i % dim];
  return out;
}
function glorotUniform(inDim, outDim, rng) {
  const limit = Math.sqrt(6 / (inDim + outDim));
  const w = new Float32Array(inDim * outDim);
  for (let i = 0; i < w.length; i++) w[i] = (rng() * 2 - 1) * limit;
  return w;
}
function denseForward(input2, layers2, dropout, dropoutSeed) {
  let h = input2;
  layers2.forEach((layer, i) => {
    if (dropoutSeed !== void 0 && dropout > 0) {
      const keep = tf2.randomUniform(h.shape, 0, 1, "float32", dropoutSeed + i).greaterEqual(dropout);
      h = h.mul(keep.toFloat()).div(1 - dropout);
    }
    h = h.matMul(layer.kernel).add(layer.bias);
    if (i < layers2.length - 1) h = h.relu();
  });
  return h;
}
async function trainHead(train2, val, options2) {
  if (options2.config.solver === "lbfgs") return trainLinearHead(train2, val, options2);
  const { config, numClasses, trunk } = options2;
  const rng = createRng(options2.seed);
  const inputDim = trunk ? trunk.inputShape.reduce((a, b) => a * b, 1) : train2.x.length / train2.rows;
  const featureDim = trunk ? trunk.model.outputs[0].shape[1] : inputDim;
  const { mean, std } = trunk ? { mean: new Float32Array(featureDim), std: new Float32Array(featureDim).fill(1) } : standardisation(train2.x, train2.rows, inputDim, config.scaling);
  const standardise = (x) => trunk ? x : standardised(x, mean, std);
  const exampleShape = trunk ? trunk.inputShape : [inputDim];
  const xTrain = standardise(train2.x);
  const rowsOf = (rows) => {
    const out = new Float32Array(rows.length * inputDim);
    rows.forEach((row, i) => out.set(xTrain.subarray(row * inputDim, (row + 1) * inputDim), i * inputDim));
    return out;
  };
  const xVal = tf2.tensor(standardise(val.x), [val.rows, ...exampleShape]);
  const oneHot3 = (y) => tf2.tidy(() => tf2.oneHot(tf2.tensor1d(y, "int32"), numClasses).toFloat());
  const yTrain = oneHot3(train2.y);
  const yVal = oneHot3(val.y);
  const classWeights = options2.classWeights === void 0 ? classWeightsFor(train2.y, numClasses).weights : options2.classWeights;
  const exampleWeights = classWeights ? tf2.tensor1d(Float32Array.from(train2.y, (label) => classWeights[label])) : null;
  const widths = [featureDim, ...config.hiddenUnits, numClasses];
  if (options2.initialDense && options2.initialDense.map((d) => d.outDim).join() !== widths.slice(1).join()) {
    throw new Error("initialDense does not match the configured layer widths");
  }
  const layers2 = tf2.tidy(
    () => widths.slice(1).map((outDim, i) => ({
      kernel: tf2.variable(tf2.tensor2d(options2.initialDense?.[i]?.kernel ?? glorotUniform(widths[i], outDim, rng), [widths[i], outDim])),
      bias: tf2.variable(options2.initialDense ? tf2.tensor1d(options2.initialDense[i].bias) : tf2.zeros([outDim]))
    }))
  );
  const headVariables = layers2.flatMap((l) => [l.kernel, l.bias]);
  const trunkVariables = trunk ? trunk.model.trainableWeights.map((w) => w.read()) : [];
  const optimizer = tf2.train.adam(config.learningRate);
  const features = (x, training) => trunk ? trunk.model.apply(x, { training: training && (trunk.training ?? true) }) : x;
  const evaluate2 = (x, y, rows) => {
    let lossSum = 0;
    let correct = 0;
    const step = trunk ? 256 : 4096;
    for (let start = 0; start < rows; start += step) {
      const size3 = Math.min(step, rows - start);
      const [loss, hits] = tf2.tidy(() => {
        const xb = x.slice(start, size3);
        const yb = y.slice(start, size3);
        const logits = denseForward(features(xb, false), layers2, 0);
        const l = tf2.losses.softmaxCrossEntropy(yb, logits, void 0, 0, tf2.Reduction.SUM);
        const h = logits.argMax(1).equal(yb.argMax(1)).sum();
        return [l.dataSync()[0], h.dataSync()[0]];
      });
      lossSum += loss;
      correct += hits;
    }
    return { loss: lossSum / rows, accuracy: correct / rows };
  };
  const metricRows = Math.min(train2.rows, TRAIN_METRIC_ROWS);
  const metricIndices = Array.from({ length: metricRows }, (_, i) => Math.floor(i * train2.rows / metricRows));
  const metricX = tf2.tensor(rowsOf(metricIndices), [metricRows, ...exampleShape]);
  const metricY = metricRows === train2.rows ? yTrain : tf2.tidy(() => tf2.gather(yTrain, tf2.tensor1d(metricIndices, "int32")));
  const curve = [];
  let best = { loss: Infinity, accuracy: 0, epoch: 0, weights: [], trunkWeights: [] };
  let stoppedByDeadline = false;
  const order = Array.from({ length: train2.rows }, (_, i) => i);
  for (let epoch = 1; epoch <= config.epochs; epoch++) {
    optimizer.learningRate = learningRateAt(config, epoch);
    shuffleInPlace(order, rng);
    for (let start = 0; start < train2.rows; start += config.batchSize) {
      const batchIndices = order.slice(start, start + config.batchSize);
      if (trunk && batchIndices.length < 2) continue;
      const dropoutSeed = Math.floor(rng() * 2 ** 31);
      tf2.tidy(() => {
        const idx = tf2.tensor1d(batchIndices, "int32");
        const batch = rowsOf(batchIndices);
        if (trunk?.augment) for (let i = 0; i < batchIndices.length; i++) trunk.augment(batch.subarray(i * inputDim, (i + 1) * inputDim), rng);
        const xb = tf2.tensor(batch, [batchIndices.length, ...exampleShape]);
        const yb = tf2.gather(yTrain, idx);
        const wb = exampleWeights ? tf2.gather(exampleWeights, idx) : void 0;
        optimizer.minimize(
          () => {
            const logits = denseForward(features(xb, true), layers2, config.dropout, dropoutSeed);
            let loss = weightedCrossEntropy(yb, logits, wb, config.labelSmoothing);
            if (config.weightDecay > 0) {
              const l2 = [...layers2.map((l) => l.kernel), ...trunk ? trunkKernels(trunk.model) : []].map((k) => k.square().sum()).reduce((a, b) => a.add(b));
              loss = loss.add(l2.mul(config.weightDecay / 2));
            }
            return loss;
          },
          false,
          [...headVariables, ...trunkVariables]
        );
      });
    }
    const trainMetrics = evaluate2(metricX, metricY, metricRows);
    const valMetrics = evaluate2(xVal, yVal, val.rows);
    const point = epochPoint(epoch, trainMetrics, valMetrics);
    curve.push(point);
    options2.onEpoch?.(point);
    const verdict = epochVerdict(point, best, config, options2);
    if (verdict === "best") {
      best.trunkWeights.forEach((t) => t.dispose());
      best = {
        loss: valMetrics.loss,
        accuracy: valMetrics.accuracy,
        epoch,
        weights: headVariables.map((v) => v.dataSync().slice()),
        trunkWeights: trunk ? trunk.model.getWeights().map((w) => w.clone()) : []
      };
    } else if (verdict === "stop") {
      break;
    }
    if (await deadlineEnds(epoch, config, options2)) {
      stoppedByDeadline = true;
      break;
    }
  }
  if (trunk) trunk.model.setWeights(best.trunkWeights);
  best.trunkWeights.forEach((t) => t.dispose());
  const dense = layers2.map((_, i) => ({
    kernel: best.weights[i * 2],
    bias: best.weights[i * 2 + 1],
    inDim: widths[i],
    outDim: widths[i + 1]
  }));
  tf2.dispose([.../* @__PURE__ */ new Set([xVal, yTrain, yVal, metricX, metricY]), ...headVariables, ...exampleWeights ? [exampleWeights] : []]);
  optimizer.dispose();
  return { weights: { mean, std, dense }, curve, bestEpoch: best.epoch, valAccuracy: best.accuracy, valLoss: best.loss, stoppedByDeadline };
}
async function trainLinearHead(train2, val, options2) {
  const { config, numClasses } = options2;
  if (options2.trunk || config.hiddenUnits.length || options2.initialDense) throw new Error("the lbfgs solver fits a linear head on embeddings only");
  const dim = train2.x.length / Math.max(1, train2.rows);
  const { mean, std } = standardisation(train2.x, train2.rows, dim, config.scaling);
  const fit2 = await fitLinearSoftmax(
    { ...train2, x: standardised(train2.x, mean, std) },
    { ...val, x: standardised(val.x, mean, std) },
    {
      numClasses,
      l2: config.weightDecay,
      labelSmoothing: config.labelSmoothing,
      classWeights: options2.classWeights === void 0 ? classWeightsFor(train2.y, numClasses).weights : options2.classWeights,
      maxIterations: config.epochs,
      deadline: options2.deadline,
      now: options2.now,
      onIteration: options2.onEpoch
    }
  );
  const last = fit2.curve.at(-1);
  return {
    weights: { mean, std, dense: [{ kernel: fit2.kernel, bias: fit2.bias, inDim: dim, outDim: numClasses }] },
    curve: fit2.curve,
    bestEpoch: last.epoch,
    valAccuracy: last.valAccuracy,
    valLoss: last.valLoss,
    stoppedByDeadline: fit2.stoppedByDeadline
  };
}
function learningRateAt(config, epoch) {
  if (config.schedule !== "cosine") return config.learningRate;
  return config.learningRate * 0.5 * (1 + Math.cos(Math.PI * (epoch - 1) / Math.max(1, config.epochs)));
}
function stopsEarly(config) {
  return config.schedule !== "cosine";
}
function epochPoint(epoch, train2, val) {
  return { epoch, trainLoss: train2.loss, trainAccuracy: train2.accuracy, valLoss: val.loss, valAccuracy: val.accuracy };
}
function epochVerdict(point, best, config, options2) {
  if (options2.keepLastEpoch || point.valLoss < best.loss - 1e-6) return "best";
  return stopsEarly(config) && point.epoch - best.epoch >= (options2.patience ?? 8) ? "stop" : "go on";
}
async function deadlineEnds(epoch, config, options2) {
  await new Promise((resolve) => setImmediate(resolve));
  return options2.now() > options2.deadline && epoch < config.epochs;
}
function retrainConfig(config, head) {
  return config.solver === "lbfgs" ? config : { ...config, epochs: Math.max(1, head.bestEpoch) };
}
function retrainTimeShare(config, head) {
  return config.solver === "lbfgs" ? 1 : Math.max(1, head.bestEpoch) / Math.max(1, head.curve.length);
}
function weightedCrossEntropy(labels, logits, weights, labelSmoothing) {
  if (!weights) return tf2.losses.softmaxCrossEntropy(labels, logits, void 0, labelSmoothing);
  return tf2.losses.softmaxCrossEntropy(labels, logits, void 0, labelSmoothing, tf2.Reduction.NONE).mul(weights).sum().div(labels.shape[0]);
}
function trunkKernels(model2) {
  return model2.trainableWeights.filter((w) => w.originalName.endsWith("/kernel")).map((w) => w.read());
}
function predictHead(weights, x, rows) {
  const dim = weights.mean.length;
  return tf2.tidy(() => {
    const input2 = tf2.tensor2d(x, [rows, dim]).sub(tf2.tensor1d(weights.mean)).div(tf2.tensor1d(weights.std));
    const layers2 = weights.dense.map((d) => ({ kernel: tf2.tensor2d(d.kernel, [d.inDim, d.outDim]), bias: tf2.tensor1d(d.bias) }));
    return denseForward(input2, layers2, 0).softmax().dataSync();
  });
}
function classBalanceOf(y, labels) {
  const balance = classWeightsFor(y, labels.length);
  return {
    applied: balance.weights !== null,
    ratio: Number.isFinite(balance.ratio) ? Number(balance.ratio.toFixed(3)) : null,
    threshold: balance.threshold,
    ...balance.weights ? { weights: Object.fromEntries(labels.map((label, i) => [label, Number(balance.weights[i].toFixed(4))])) } : {}
  };
}

// src/core/onnx/graph.ts
var import_onnx_proto = __toESM(require_onnx(), 1);
var { onnx } = import_onnx_proto.default;
var OPSET = 13;
var IR_VERSION = 7;
var ELEMENT_TYPES = { float32: onnx.TensorProto.DataType.FLOAT, uint8: onnx.TensorProto.DataType.UINT8 };
var OnnxGraph = class {
  nodes = [];
  floats = /* @__PURE__ */ new Map();
  int64s = /* @__PURE__ */ new Map();
  inputs = [];
  outputs = [];
  names = /* @__PURE__ */ new Set();
  /** A tensor or node name not used yet, based on `base`. */
  uniqueName(base) {
    let name = base;
    for (let i = 1; this.names.has(name); i++) name = `${base}_${i}`;
    this.names.add(name);
    return name;
  }
  /** Adds a node with one output and returns that output's name. */
  addNode(opType, inputs, outputBase, attributes = {}) {
    const output = this.uniqueName(outputBase);
    this.nodes.push({
      opType,
      name: output,
      input: inputs,
      output: [output],
      attribute: Object.entries(attributes).map(([name, value]) => attribute(name, value))
    });
    return output;
  }
  addFloat(base, tensor4) {
    const name = this.uniqueName(base);
    this.floats.set(name, tensor4);
    return name;
  }
  /** A float initializer added earlier, to fold constants into it. */
  float(name) {
    return this.floats.get(name);
  }
  addInt64(base, values, shape = [values.length]) {
    const name = this.uniqueName(base);
    this.int64s.set(name, { shape, values });
    return name;
  }
  addInput(name, shape, type = "float32") {
    if (this.names.has(name)) throw new Error(`graph input name ${name} is taken`);
    this.names.add(name);
    this.inputs.push(valueInfo(name, shape, type));
    return name;
  }
  addOutput(name, shape) {
    this.outputs.push(valueInfo(name, shape));
  }
  /** Parameters held by the float initializers. */
  get parameterCount() {
    let count = 0;
    for (const tensor4 of this.floats.values()) count += tensor4.values.length;
    return count;
  }
  serialize(graphName, docString, metadata = {}) {
    const initializer = [];
    for (const [name, tensor4] of this.floats) {
      initializer.push({ name, dataType: onnx.TensorProto.DataType.FLOAT, dims: tensor4.shape, rawData: bytesOf(tensor4.values) });
    }
    for (const [name, tensor4] of this.int64s) {
      initializer.push({ name, dataType: onnx.TensorProto.DataType.INT64, dims: tensor4.shape, rawData: bytesOf(BigInt64Array.from(tensor4.values, BigInt)) });
    }
    const model2 = onnx.ModelProto.create({
      irVersion: IR_VERSION,
      producerName: "classifier-ci",
      opsetImport: [{ domain: "", version: OPSET }],
      docString,
      metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
      graph: { name: graphName, node: this.nodes, initializer, input: this.inputs, output: this.outputs }
    });
    return onnx.ModelProto.encode(model2).finish();
  }
};
function bytesOf(array) {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}
function attribute(name, value) {
  const { AttributeType } = onnx.AttributeProto;
  if (typeof value === "string") return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: AttributeType.INTS, ints: value };
  if (typeof value === "object") return { name, type: AttributeType.FLOAT, f: value.f };
  if (!Number.isInteger(value)) throw new Error(`attribute ${name}: ${value} is not an integer; write floats as { f: value }`);
  return { name, type: AttributeType.INT, i: value };
}
function valueInfo(name, shape, type = "float32") {
  return {
    name,
    type: {
      tensorType: { elemType: ELEMENT_TYPES[type], shape: { dim: shape.map((d) => typeof d === "number" ? { dimValue: d } : { dimParam: d }) } }
    }
  };
}

// src/core/onnx/session.ts
import { availableParallelism } from "node:os";
var runtime = null;
function loadOnnxRuntime() {
  runtime ??= import("onnxruntime-node").then((module) => module.default ?? module);
  return runtime;
}
function sessionFactoryOf(runtimeModule) {
  return (model2, options2) => typeof model2 === "string" ? runtimeModule.InferenceSession.create(model2, options2) : runtimeModule.InferenceSession.create(model2, options2);
}
var defaultFactory = async (model2, options2) => sessionFactoryOf(await loadOnnxRuntime())(model2, options2);
function reasonOf(error) {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0].trim();
}
async function openOnnxSession(model2, options2 = {}) {
  const threads = options2.threads ?? availableParallelism();
  const create = options2.createSession ?? defaultFactory;
  const common = {
    graphOptimizationLevel: "all",
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: "sequential",
    // ORT's threads otherwise spin between runs, burning the core that decodes the next batch.
    // Without spinning (alternated, 2 threads), a whole call of MobileNetV2 @224 from 28-px PNGs
    // ran 12–13% faster on 10–12 ms of CPU an image instead of 13–14, InceptionV3 @299's was
    // level, and compute alone on pixels in memory 4–7% slower: calls decode, so calls win.
    extra: { session: { intra_op: { allow_spinning: "0" } } }
  };
  let fallbackReason = null;
  if (options2.device === "cuda") {
    try {
      const session2 = await create(model2, { ...common, executionProviders: ["cuda"] });
      return { session: session2, engine: { executionProvider: "cuda", threads, fallbackReason: null } };
    } catch (error) {
      fallbackReason = `ONNX Runtime's CUDA execution provider did not start (${reasonOf(error)}); running on the CPU`;
    }
  }
  const session = await create(model2, { ...common, executionProviders: ["cpu"] });
  return { session, engine: { executionProvider: "cpu", threads, fallbackReason } };
}
function probeModel() {
  const graph = new OnnxGraph();
  graph.addInput("x", [1]);
  graph.addOutput(graph.addNode("Identity", ["x"], "y"), [1]);
  return graph.serialize("probe", "classifier-ci ONNX Runtime probe");
}
async function detectOnnxRuntime(load = loadOnnxRuntime) {
  let runtimeModule;
  try {
    runtimeModule = await load();
  } catch (error) {
    return { available: false, reason: `onnxruntime-node did not load (${reasonOf(error)}); using TF.js WASM for the backbones` };
  }
  try {
    const session = await runtimeModule.InferenceSession.create(probeModel(), { executionProviders: ["cpu"] });
    const output = await session.run({ x: new runtimeModule.Tensor("float32", Float32Array.of(7), [1]) });
    await session.release();
    if (output.y?.data?.[0] !== 7)
      return { available: false, reason: "onnxruntime-node loaded but computed a wrong result on a one-node model; using TF.js WASM for the backbones" };
  } catch (error) {
    return { available: false, reason: `onnxruntime-node loaded but could not run a model (${reasonOf(error)}); using TF.js WASM for the backbones` };
  }
  return { available: true, reason: `onnxruntime-node ${runtimeModule.env?.versions?.common ?? ""} runs here`.replace("  ", " ") };
}

// src/core/dataset/prepare.ts
import { createHash as createHash5 } from "node:crypto";
import { stat as stat3 } from "node:fs/promises";
import { extname } from "node:path";

// src/core/dataset/scan.ts
import { createHash as createHash2 } from "node:crypto";
import { constants } from "node:fs";
import { lstat, open, readdir, realpath, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
var SCAN_LIMITS = { maxFileBytes: 1024 ** 3 };
var IMAGE_EXTENSIONS = /* @__PURE__ */ new Set([".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".tif", ".tiff"]);
var SYSTEM_FILES = /* @__PURE__ */ new Set(["thumbs.db", "desktop.ini", "icon\r"]);
var SPLIT_FOLDERS = { train: "train", val: "val", valid: "val", validation: "val", test: "test" };
function labelFolder(datasetPath, label) {
  if (/\.zip$/i.test(datasetPath)) return `${label}/ in ${datasetPath}`;
  return `${datasetPath.replace(/[\\/]+$/, "")}/${label}/`;
}
function extensionOf(name) {
  const dot2 = name.lastIndexOf(".");
  return dot2 <= 0 ? "" : name.slice(dot2).toLowerCase();
}
function toPosix(path) {
  return sep === "/" ? path : path.split(sep).join("/");
}
async function scanDataset(root, limits = SCAN_LIMITS, datasetPath = root) {
  let rootReal;
  try {
    rootReal = await realpath(root);
    if (!(await stat(rootReal)).isDirectory()) throw new Error("not a directory");
  } catch {
    throw new InputError(`Dataset "${root}" was not found or is not a folder. Point to a folder of <label>/<image> files (or a .zip of one).`, root);
  }
  const skipped = [];
  const top = await readdir(rootReal, { withFileTypes: true }).catch((error) => {
    throw new InputError(`Dataset "${root}" cannot be read (${errorCode(error)}). Give the user running classifier-ci read access to it.`, root);
  });
  top.sort((a, b) => a.name < b.name ? -1 : 1);
  const topDirs = top.filter((e) => e.isDirectory() || e.isSymbolicLink());
  const splitDirs = topDirs.filter((e) => SPLIT_FOLDERS[e.name.toLowerCase()]);
  const explicitSplits2 = splitDirs.length >= 2 && splitDirs.length === topDirs.length;
  const records = [];
  const visitedDirs = /* @__PURE__ */ new Set([rootReal]);
  const walkContext = { rootReal, skipped, records, visitedDirs, limits };
  for (const entry of top) {
    const full = join(rootReal, entry.name);
    const rel = entry.name;
    if (isHidden(entry.name)) {
      skipped.push({ file: rel, reason: "hidden or system file" });
      continue;
    }
    const kind = await resolveEntry(full, rel, walkContext);
    if (kind === "file") {
      skipped.push({ file: rel, reason: `file at the top level, outside any label folder: move it into ${labelFolder(datasetPath, "<label>")}` });
      continue;
    }
    if (kind !== "dir") continue;
    if (explicitSplits2) {
      const split = SPLIT_FOLDERS[entry.name.toLowerCase()];
      const labels = await listFolder(full, rel, walkContext);
      for (const labelEntry of labels ?? []) {
        const labelFull = join(full, labelEntry.name);
        const labelRel = `${rel}/${labelEntry.name}`;
        if (isHidden(labelEntry.name)) {
          skipped.push({ file: labelRel, reason: "hidden or system file" });
          continue;
        }
        const labelKind = await resolveEntry(labelFull, labelRel, walkContext);
        if (labelKind === "file") {
          skipped.push({ file: labelRel, reason: `file directly in ${rel}/, outside any label folder: move it into ${rel}/<label>/` });
        } else if (labelKind === "dir") {
          await walkLabelFolder(labelFull, labelRel, labelEntry.name.normalize("NFC"), split, walkContext);
        }
      }
    } else {
      await walkLabelFolder(full, rel, entry.name.normalize("NFC"), void 0, walkContext);
    }
  }
  checkLabelNames(records);
  records.sort((a, b) => a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  skipped.sort((a, b) => a.file < b.file ? -1 : 1);
  return { records, skipped, explicitSplits: explicitSplits2 };
}
function isHidden(name) {
  return name.startsWith(".") || SYSTEM_FILES.has(name.toLowerCase()) || name === "__MACOSX";
}
function errorCode(error) {
  const { code, message } = error ?? {};
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  return code ?? String(message ?? error).split("\n")[0];
}
function unreadable(error, what) {
  const code = error?.code;
  const subject = what === "folder" ? "folder cannot be read" : "cannot be read";
  if (code === "EACCES" || code === "EPERM") return `${subject} (permission denied); give the user running classifier-ci read access, or remove it`;
  if (code === "ENOENT" || code === "ENOTDIR") return `${what} disappeared while the dataset was being read; run again once nothing is changing it`;
  return `${subject} (${errorCode(error)}); check the disk, or remove it`;
}
function specialFile(info) {
  const kind = info.isFIFO() ? "a named pipe (FIFO)" : info.isSocket() ? "a socket" : info.isBlockDevice() ? "a block device" : info.isCharacterDevice() ? "a character device" : null;
  return kind && `${kind}, not a regular file; remove it from the dataset folder`;
}
async function listFolder(dir, rel, ctx) {
  try {
    return (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name < b.name ? -1 : 1);
  } catch (error) {
    ctx.skipped.push({ file: `${rel}/`, reason: unreadable(error, "folder") });
    return null;
  }
}
async function resolveEntry(full, rel, ctx) {
  const skip = (reason) => {
    ctx.skipped.push({ file: rel, reason });
    return "skip";
  };
  let info;
  try {
    info = await lstat(full);
  } catch (error) {
    return skip(unreadable(error, "file"));
  }
  if (!info.isSymbolicLink()) {
    const special2 = specialFile(info);
    return special2 ? skip(special2) : info.isDirectory() ? "dir" : "file";
  }
  let target;
  try {
    target = await realpath(full);
  } catch {
    return skip("broken symbolic link");
  }
  const inside = relative(ctx.rootReal, target);
  if (inside.startsWith("..") || /^([a-zA-Z]:|\/)/.test(inside)) return skip("symbolic link pointing outside the dataset folder (refused)");
  let targetInfo;
  try {
    targetInfo = await stat(target);
  } catch (error) {
    return skip(unreadable(error, "file"));
  }
  if (targetInfo.isDirectory()) {
    if (ctx.visitedDirs.has(target)) return skip("symbolic link to a folder already scanned (loop or repeat)");
    return "dir";
  }
  const special = specialFile(targetInfo);
  return special ? skip(`symbolic link to ${special}`) : "file";
}
async function walkLabelFolder(dir, rel, label, split, ctx) {
  const before = ctx.records.length + ctx.skipped.length;
  await walkLabel(dir, rel, label, split, ctx);
  if (ctx.records.length + ctx.skipped.length === before) ctx.skipped.push({ file: `${rel}/`, reason: "empty folder: no files under this label" });
}
async function walkLabel(dir, rel, label, split, ctx) {
  let real;
  try {
    real = await realpath(dir);
  } catch (error) {
    ctx.skipped.push({ file: `${rel}/`, reason: unreadable(error, "folder") });
    return;
  }
  if (ctx.visitedDirs.has(real) && real !== dir) return;
  ctx.visitedDirs.add(real);
  const entries = await listFolder(dir, rel, ctx);
  for (const entry of entries ?? []) {
    const full = join(dir, entry.name);
    const entryRel = `${rel}/${entry.name}`;
    if (isHidden(entry.name)) {
      ctx.skipped.push({ file: entryRel, reason: "hidden or system file" });
      continue;
    }
    const kind = await resolveEntry(full, entryRel, ctx);
    if (kind === "dir") {
      await walkLabel(full, entryRel, label, split, ctx);
    } else if (kind === "file") {
      if (!IMAGE_EXTENSIONS.has(extensionOf(entry.name))) {
        ctx.skipped.push({
          file: entryRel,
          reason: `not an image file (${extensionOf(entry.name) || "no extension"}); supported: ${[...IMAGE_EXTENSIONS].join(" ")}`
        });
        continue;
      }
      const content = await hashImageFile(full, ctx.limits);
      if ("reason" in content) {
        ctx.skipped.push({ file: entryRel, reason: content.reason });
        continue;
      }
      ctx.records.push({ path: full, file: toPosix(entryRel), label, sha256: content.sha256, bytes: content.bytes, split });
    }
  }
}
function size(bytes) {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}
var HASH_CHUNK = 1024 ** 2;
async function hashImageFile(path, limits) {
  const tooBig = (bytes) => ({
    reason: `file is ${size(bytes)}, more than the limit of ${size(limits.maxFileBytes)} for one image; downscale or re-compress it, or remove it`
  });
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return { reason: unreadable(error, "file") };
  }
  try {
    const info = await handle.stat();
    const special = specialFile(info);
    if (special) return { reason: special };
    if (info.size === 0) return { reason: "empty file (0 bytes)" };
    if (info.size > limits.maxFileBytes) return tooBig(info.size);
    const hash = createHash2("sha256");
    const buffer = Buffer.allocUnsafe(Math.min(info.size, HASH_CHUNK));
    let bytes = 0;
    for (; ; ) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      bytes += bytesRead;
      if (bytes > limits.maxFileBytes) return tooBig(bytes);
    }
    if (bytes === 0) return { reason: "empty file (0 bytes)" };
    return { sha256: hash.digest("hex"), bytes };
  } catch (error) {
    return { reason: unreadable(error, "file") };
  } finally {
    await handle.close();
  }
}
function checkLabelNames(records) {
  const byFolded = /* @__PURE__ */ new Map();
  for (const { label } of records) {
    const folded = label.toLocaleLowerCase("en");
    const seen = byFolded.get(folded);
    if (seen !== void 0 && seen !== label) {
      throw new InputError(`Labels "${seen}" and "${label}" differ only in upper/lower case. Merge or rename one of the two folders.`, label);
    }
    byFolded.set(folded, label);
  }
}

// src/core/dataset/split.ts
import { createHash as createHash3 } from "node:crypto";
var MIN_IMAGES_PER_LABEL = 3;
function splitPoint(sha256, seed) {
  const digest = createHash3("sha256").update(`split:${seed}:${sha256}`).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}
function assignSplits(records, ratios, seed, datasetPath) {
  const byLabel = /* @__PURE__ */ new Map();
  for (const record of records) {
    const list = byLabel.get(record.label) ?? [];
    list.push(record);
    byLabel.set(record.label, list);
  }
  const out = [];
  for (const [label, images] of byLabel) {
    if (images.length < MIN_IMAGES_PER_LABEL) {
      throw new InputError(
        `Label "${label}" has ${images.length} image${images.length === 1 ? "" : "s"}; each label needs at least ${MIN_IMAGES_PER_LABEL} (one each for train, validation and test), and 20 or more to train well. Add images to ${labelFolder(datasetPath, label)} or remove the folder.`,
        label
      );
    }
    const scored = images.map((image) => ({ image, point: splitPoint(image.sha256, seed) }));
    const assigned = scored.map(({ image, point }) => ({
      image,
      point,
      split: point < ratios.train ? "train" : point < ratios.train + ratios.val ? "val" : "test"
    }));
    repairEmptySplit(assigned, "test", ratios);
    repairEmptySplit(assigned, "val", ratios);
    repairEmptySplit(assigned, "train", ratios);
    for (const { image, split } of assigned) out.push({ ...image, split });
  }
  return out.sort((a, b) => a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
}
function repairEmptySplit(assigned, wanted, ratios) {
  if (assigned.some((a) => a.split === wanted)) return;
  const counts = { train: 0, val: 0, test: 0 };
  for (const a of assigned) counts[a.split]++;
  const low = wanted === "train" ? 0 : wanted === "val" ? ratios.train : ratios.train + ratios.val;
  const high = wanted === "train" ? ratios.train : wanted === "val" ? ratios.train + ratios.val : 1;
  const distance = (p) => p < low ? low - p : p >= high ? p - high : 0;
  const donors = assigned.filter((a) => counts[a.split] > 1).sort((a, b) => distance(a.point) - distance(b.point));
  if (donors[0]) donors[0].split = wanted;
}
function explicitSplits(records, datasetPath) {
  const seen = /* @__PURE__ */ new Map();
  for (const r of records) {
    const set = seen.get(r.label) ?? /* @__PURE__ */ new Set();
    set.add(r.split);
    seen.set(r.label, set);
  }
  for (const [label, splits] of seen) {
    for (const needed of ["train", "val", "test"]) {
      if (!splits.has(needed)) {
        throw new InputError(
          `Label "${label}" has no images in ${labelFolder(datasetPath, `${needed}/${label}`)}. With an explicit train/ val/ test/ layout, every label needs images in all three.`,
          label
        );
      }
    }
  }
  return records.map((r) => ({ ...r, split: r.split }));
}

// src/core/dataset/zip.ts
var import_yauzl = __toESM(require_yauzl(), 1);
import { createHash as createHash4, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir as readdir2, rename, rm, stat as stat2, writeFile } from "node:fs/promises";
import { join as join2, posix } from "node:path";
import { pipeline } from "node:stream/promises";
import * as zlib from "node:zlib";
var ZIP_LIMITS = { maxEntries: 2e5, maxTotalBytes: 8 * 1024 ** 3, maxEntryBytes: 1024 ** 3 };
var CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 3988292384 ^ c >>> 1 : c >>> 1;
  return c >>> 0;
});
var crc322 = typeof zlib.crc32 === "function" ? (bytes, crc) => zlib.crc32(bytes, crc) : (bytes, crc) => {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 255] ^ c >>> 8;
  return ~c >>> 0;
};
function size2(bytes) {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${bytes.toLocaleString("en")} bytes`;
}
function archiveError(error, source) {
  const message = error.message;
  const outside = /^(?:absolute path|invalid relative path|invalid characters in fileName): (.*)$/s.exec(message);
  if (outside)
    return new InputError(
      `${source} contains an entry that points outside the archive ("${outside[1]}"). Such archives are refused; re-create it with relative paths.`,
      source
    );
  if (/^End of central directory record signature not found/.test(message))
    return new InputError(`${source} is not a readable .zip archive (no central directory; damaged or not a zip). Re-create the archive.`, source);
  if (/strong encryption/.test(message))
    return new InputError(
      `${source} is encrypted (strong encryption). Password-protected archives are not supported; re-create it without a password.`,
      source
    );
  if (/zip64/i.test(message)) return new InputError(`${source} is damaged: its ZIP64 table of contents is broken. Re-create the archive.`, source);
  if (/multi-disk/.test(message))
    return new InputError(`${source} is one part of a split (multi-disk) archive, which is not supported. Re-create it as one file.`, source);
  if (/central directory|unexpected EOF|Invalid comment length|extra field/i.test(message))
    return new InputError(`${source} is damaged: its table of contents is cut short. Re-create the archive.`, source);
  return error;
}
function openZip(zipPath) {
  return new Promise(
    (resolve, reject) => import_yauzl.default.open(
      zipPath,
      { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true, strictFileNames: false },
      (error, zip) => error ? reject(archiveError(error, zipPath)) : resolve(zip)
    )
  );
}
function readEntries(zip, source, limits) {
  if (zip.entryCount > limits.maxEntries) {
    return Promise.reject(
      new InputError(
        `${source} has ${zip.entryCount.toLocaleString("en")} entries, more than the limit of ${limits.maxEntries.toLocaleString("en")} (possible zip bomb). Split the dataset or unpack it into a folder.`,
        source
      )
    );
  }
  return new Promise((resolve, reject) => {
    const entries = [];
    zip.on("error", (error) => reject(archiveError(error, source)));
    zip.on("end", () => resolve(entries));
    zip.on("entry", (entry) => {
      try {
        const name = entry.fileName;
        const path = safeEntryPath(name);
        if (path === null)
          throw new InputError(
            `${source} contains an entry that points outside the archive ("${name}"). Such archives are refused; re-create it with relative paths.`,
            source
          );
        if (entry.generalPurposeBitFlag & 1)
          throw new InputError(`${source} is encrypted ("${name}"). Password-protected archives are not supported; re-create it without a password.`, source);
        if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
          throw new InputError(
            `${source}: "${name}" uses compression method ${entry.compressionMethod}, which is not supported. Re-create the archive with standard (deflate) compression.`,
            source
          );
        }
        if (entry.uncompressedSize > limits.maxEntryBytes) {
          throw new InputError(
            `${source}: "${name}" would unpack to ${size2(entry.uncompressedSize)}, more than the limit of ${size2(limits.maxEntryBytes)} for one file (possible zip bomb). Unpack it yourself if it is legitimate.`,
            source
          );
        }
        entries.push({ name, path, size: entry.uncompressedSize, crc: entry.crc32, entry });
        zip.readEntry();
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    zip.readEntry();
  }).then((entries) => {
    const total = entries.reduce((sum, e) => sum + e.size, 0);
    if (total > limits.maxTotalBytes) {
      throw new InputError(
        `${source} would unpack to ${size2(total)}, more than the limit of ${size2(limits.maxTotalBytes)} (possible zip bomb). Unpack it yourself if it is legitimate.`,
        source
      );
    }
    return entries;
  });
}
function safeEntryPath(name) {
  const normal = name.replace(/\\/g, "/");
  if (normal.startsWith("/") || /^[a-zA-Z]:/.test(normal) || normal.includes("\0")) return null;
  const cleaned = posix.normalize(normal);
  if (cleaned === ".." || cleaned.startsWith("../") || cleaned.split("/").includes("..")) return null;
  return cleaned;
}
async function archiveDigest(zipPath) {
  const hash = createHash4("sha256");
  await pipeline(createReadStream(zipPath), hash);
  return hash.digest("hex").slice(0, 16);
}
async function extractZipDataset(zipPath, workDir, limits = ZIP_LIMITS) {
  const target = join2(workDir, "datasets", await archiveDigest(zipPath));
  if (await isComplete(target)) return contentRoot(target);
  const zip = await openZip(zipPath);
  const temp = `${target}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    const entries = await readEntries(zip, zipPath, limits);
    checkNameClashes(entries, zipPath);
    try {
      for (const entry of entries) {
        if (entry.name.endsWith("/")) continue;
        await extractEntry(zip, entry, join2(temp, entry.path), zipPath);
      }
      await mkdir(temp, { recursive: true });
      await writeFile(join2(temp, ".complete"), "");
      await mkdir(join2(target, ".."), { recursive: true });
      await rename(temp, target).catch(async (error) => {
        if (await isComplete(target)) return rm(temp, { recursive: true, force: true });
        throw error;
      });
    } catch (error) {
      await rm(temp, { recursive: true, force: true });
      throw explainWriteError(error, temp);
    }
  } finally {
    zip.close();
  }
  return contentRoot(target);
}
function checkNameClashes(entries, source) {
  const files = /* @__PURE__ */ new Set();
  const folders = /* @__PURE__ */ new Set();
  for (const entry of entries) {
    const path = entry.path.replace(/\/+$/, "");
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join("/"));
    if (entry.name.endsWith("/")) {
      folders.add(path);
    } else if (files.has(path)) {
      throw new InputError(`${source} holds "${path}" twice. Remove one of the copies and re-create the archive.`, source);
    } else {
      files.add(path);
    }
  }
  for (const path of files) {
    if (folders.has(path))
      throw new InputError(`${source} has both a file and a folder named "${path}". Rename one of them and re-create the archive.`, source);
  }
  const byFoldedCase = /* @__PURE__ */ new Map();
  for (const path of [...folders, ...files].sort()) {
    const folded = path.toLowerCase();
    const other = byFoldedCase.get(folded);
    if (other !== void 0 && other !== path) {
      throw new InputError(
        `${source} holds "${other}" and "${path}", names that differ only in case; they would overwrite each other on macOS and Windows. Rename one and re-create the archive.`,
        source
      );
    }
    byFoldedCase.set(folded, path);
  }
}
async function isComplete(dir) {
  return Boolean(await stat2(join2(dir, ".complete")).catch(() => null));
}
async function extractEntry(zip, entry, out, source) {
  const damaged = (why) => new InputError(`${source} is damaged: "${entry.name}" ${why}. Re-create the archive.`, source);
  let crc = 0;
  try {
    await mkdir(join2(out, ".."), { recursive: true });
    const stream = await zip.openReadStreamPromise(entry.entry);
    await pipeline(
      stream,
      async function* (chunks) {
        for await (const chunk of chunks) {
          crc = crc322(chunk, crc);
          yield chunk;
        }
      },
      createWriteStream(out)
    );
  } catch (error) {
    const e = error;
    if (e.code === "ENAMETOOLONG")
      throw new InputError(`${source}: "${entry.name}" has a name too long for this file system. Shorten it and re-create the archive.`, source);
    const message = e.message ?? String(error);
    if (e.code?.startsWith("Z_")) throw damaged(`cannot be inflated (${message})`);
    if (/^too many bytes in the stream/.test(message))
      throw damaged(`unpacks to more than the ${entry.size.toLocaleString("en")} bytes its table of contents declares`);
    const short = /^not enough bytes in the stream\. expected \d+\. got only (\d+)/.exec(message);
    if (short) throw damaged(`unpacks to ${short[1]} bytes, not the ${entry.size} its table of contents declares`);
    if (/local file header/.test(message)) throw damaged("has no local header where the table of contents says");
    if (/overflows file bounds|unexpected EOF/.test(message)) throw damaged("is cut short");
    throw error;
  }
  if (crc !== entry.crc) throw damaged("fails its CRC-32 check");
}
async function contentRoot(target) {
  const visible = (await readdir2(target, { withFileTypes: true })).filter((e) => !e.name.startsWith(".") && e.name !== "__MACOSX");
  if (visible.length === 1 && visible[0].isDirectory()) {
    const inner = join2(target, visible[0].name);
    const innerEntries = (await readdir2(inner, { withFileTypes: true })).filter((e) => !e.name.startsWith("."));
    if (innerEntries.length > 0 && innerEntries.every((e) => e.isDirectory())) return inner;
  }
  return target;
}

// src/core/dataset/prepare.ts
var THUMBNAIL_SIZE = 32;
var SKIP_LOG_LIMIT = 100;
function skipLog(log) {
  let logged = 0;
  let held = 0;
  return {
    report(skips) {
      for (const s of skips) {
        if (logged >= SKIP_LOG_LIMIT) {
          held++;
          continue;
        }
        logged++;
        log.warn(`Skipped ${s.file}: ${s.reason}`, { file: s.file });
      }
    },
    finish() {
      if (held)
        log.warn(
          `Skipped ${held.toLocaleString("en")} more file${held === 1 ? "" : "s"}, not shown one by one here: result.json (dataset.skipped) and report.html list every skipped file with its reason.`
        );
      held = 0;
    }
  };
}
async function datasetFolder(datasetPath, workDir, zipLimits) {
  const info = await stat3(datasetPath).catch((error) => {
    if (error.code === "EACCES" || error.code === "EPERM") {
      throw new InputError(`Dataset "${datasetPath}" cannot be read (permission denied). Give the user running classifier-ci read access to it.`, datasetPath);
    }
    return null;
  });
  if (!info) throw new InputError(`Dataset "${datasetPath}" was not found. Point to a folder of <label>/<image> files (or a .zip of one).`, datasetPath);
  if (!info.isFile()) return datasetPath;
  if (!datasetPath.toLowerCase().endsWith(".zip")) {
    throw new InputError(`Dataset "${datasetPath}" is a file, not a folder. Give a folder of <label>/<image> files or a .zip of one.`, datasetPath);
  }
  return extractZipDataset(datasetPath, workDir, zipLimits);
}
async function prepareDataset(options2, log) {
  const root = await datasetFolder(options2.datasetPath, options2.workDir, options2.zipLimits);
  const scan = await scanDataset(root, options2.scanLimits, options2.datasetPath);
  const loose = scan.skipped.filter((s) => !s.file.includes("/") && IMAGE_EXTENSIONS.has(extname(s.file).toLowerCase()));
  if (scan.records.length === 0 && loose.length > 0) {
    throw new InputError(
      `Dataset "${options2.datasetPath}" has ${loose.length} image${loose.length === 1 ? "" : "s"} at the top level (e.g. ${loose[0].file}) but no label folders. Move each image into ${labelFolder(options2.datasetPath, "<label>")}, one folder per label, e.g. ${labelFolder(options2.datasetPath, "cat")} and ${labelFolder(options2.datasetPath, "dog")}.`,
      options2.datasetPath
    );
  }
  const skipped = [...scan.skipped];
  const skips = skipLog(log);
  try {
    skips.report(scan.skipped);
    options2.onListed?.(scan.records.map((r) => r.path));
    const decoded = await validateImages(scan.records, options2.maxPixels, log, options2.check);
    skips.report(decoded.skipped);
    skipped.push(...decoded.skipped);
    const unique = dropDuplicates(decoded.records);
    skips.report(unique.skipped);
    skipped.push(...unique.skipped);
    const labels = [...new Set(unique.records.map((r) => r.label))].sort();
    if (unique.records.length === 0) {
      throw new InputError(
        `Dataset "${options2.datasetPath}" has no usable images${skipped.length ? ` (${skipped.length} files skipped; see the list above)` : ""}. Put images in ${labelFolder(options2.datasetPath, "<label>")}, one folder per label.`,
        options2.datasetPath
      );
    }
    if (labels.length < 2) {
      throw new InputError(
        `Dataset "${options2.datasetPath}" has only one label ("${labels[0]}"). A classifier needs at least two: add a folder per label, e.g. ${labelFolder(options2.datasetPath, "cat")} and ${labelFolder(options2.datasetPath, "dog")}.`,
        labels[0]
      );
    }
    const images = scan.explicitSplits ? explicitSplits(unique.records, options2.datasetPath) : assignSplits(unique.records, options2.split, options2.seed, options2.datasetPath);
    const summary = summarise(options2, labels, images, skipped, unique.warnings, scan.explicitSplits);
    return { images, labels, summary, thumbnails: decoded.thumbnails, root };
  } finally {
    skips.finish();
  }
}
async function validateImages(records, maxPixels, log, check = () => true) {
  const thumbnails = /* @__PURE__ */ new Map();
  const ok = records.filter((r) => !check(r.sha256));
  const skipped = [];
  let done = 0;
  const queue = records.filter((r) => check(r.sha256));
  const total = queue.length;
  const worker = async () => {
    for (let record = queue.shift(); record; record = queue.shift()) {
      try {
        if (!thumbnails.has(record.sha256)) thumbnails.set(record.sha256, await decodeToRgb(record.path, THUMBNAIL_SIZE, maxPixels));
        ok.push(record);
      } catch (error) {
        if (!(error instanceof DecodeError)) throw error;
        skipped.push({ file: record.file, reason: error.message });
      }
      log.progress("Checking images", ++done, total);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  skipped.sort((a, b) => a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  ok.sort((a, b) => a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  return { records: ok, skipped, thumbnails };
}
function dropDuplicates(records) {
  const bySha = /* @__PURE__ */ new Map();
  for (const r of records) bySha.set(r.sha256, [...bySha.get(r.sha256) ?? [], r]);
  const kept = [];
  const skipped = [];
  const warnings = [];
  let duplicateCount = 0;
  for (const copies of bySha.values()) {
    const labels = [...new Set(copies.map((c) => c.label))];
    if (labels.length > 1) {
      const where = copies.map((c) => c.file).join(", ");
      warnings.push(`The same image is labelled ${labels.map((l) => `"${l}"`).join(" and ")}: ${where}. All copies were left out; keep it under one label.`);
      for (const c of copies) {
        skipped.push({
          file: c.file,
          reason: `conflicting labels: identical to ${copies.filter((o) => o !== c).map((o) => o.file).join(", ")}`
        });
      }
      continue;
    }
    kept.push(copies[0]);
    for (const extra of copies.slice(1)) {
      duplicateCount++;
      skipped.push({ file: extra.file, reason: `duplicate of ${copies[0].file} (counted once)` });
    }
  }
  if (duplicateCount) warnings.push(`${duplicateCount} exact duplicate image${duplicateCount === 1 ? " was" : "s were"} counted once.`);
  kept.sort((a, b) => a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  return { records: kept, skipped, warnings };
}
function summarise(options2, labels, images, skipped, warnings, explicit) {
  const counts = labels.map((label) => {
    const mine = images.filter((i) => i.label === label);
    return {
      label,
      train: mine.filter((i) => i.split === "train").length,
      val: mine.filter((i) => i.split === "val").length,
      test: mine.filter((i) => i.split === "test").length,
      total: mine.length
    };
  });
  const totals = counts.map((c) => c.total);
  const smallest = Math.min(...totals);
  const largest = Math.max(...totals);
  if (largest >= 3 * smallest) {
    const small = counts.find((c) => c.total === smallest).label;
    const big = counts.find((c) => c.total === largest).label;
    warnings.push(
      `Labels are imbalanced: "${big}" has ${largest} images, "${small}" only ${smallest}. Accuracy may favour the larger labels; watch per-label recall.`
    );
  }
  const tiny = counts.filter((c) => c.total < 20).map((c) => c.label);
  if (tiny.length)
    warnings.push(
      `${tiny.length} label${tiny.length === 1 ? " has" : "s have"} fewer than 20 images (${tiny.slice(0, 5).map((l) => `"${l}"`).join(", ")}${tiny.length > 5 ? ", \u2026" : ""}); results for them are noisy.`
    );
  const fingerprint = createHash5("sha256");
  for (const image of [...images].sort((a, b) => a.sha256 + a.label < b.sha256 + b.label ? -1 : 1)) {
    fingerprint.update(`${image.label}\0${image.sha256}
`);
  }
  return {
    root: options2.datasetPath,
    fingerprint: fingerprint.digest("hex"),
    labels,
    images: images.length,
    counts,
    splitMode: explicit ? "explicit" : "hash",
    splitCounts: {
      train: counts.reduce((n, c) => n + c.train, 0),
      val: counts.reduce((n, c) => n + c.val, 0),
      test: counts.reduce((n, c) => n + c.test, 0)
    },
    skipped,
    warnings
  };
}

// src/core/training/refit.ts
function mergeExamples(a, b) {
  const x = new Float32Array(a.x.length + b.x.length);
  x.set(a.x);
  x.set(b.x, a.x.length);
  const y = new Int32Array(a.rows + b.rows);
  y.set(a.y);
  y.set(b.y, a.rows);
  return { x, y, rows: a.rows + b.rows };
}
function estimateRefitMs(candidate, chosen, withViews) {
  const trainedRows = Math.max(1, candidate.train.rows + (candidate.views?.rows ?? 0));
  const rows = candidate.train.rows + candidate.val.rows + (withViews ? candidate.views?.rows ?? 0 : 0);
  return chosen.seconds * 1e3 * retrainTimeShare(chosen.config, chosen.head) * (rows / trainedRows);
}
var iterations = (n) => `iteration${n === 1 ? "" : "s"}`;
async function refitOnTrainAndVal(candidate, chosen, ctx) {
  if (chosen.trunk) {
    const what = chosen.trunkRole === "top" ? "the fine-tuned top block" : "the small CNN";
    return { decision: { applied: false, reason: `${what} is trained end to end; training it again on train + validation would take a second full training` } };
  }
  if (candidate.val.rows === 0) return { decision: { applied: false, reason: "there is no validation split to add" } };
  const left = ctx.deadline - ctx.now();
  const withViews = estimateRefitMs(candidate, chosen, true);
  const keepViews = Boolean(candidate.views) && withViews <= left;
  const estimateMs = keepViews ? withViews : estimateRefitMs(candidate, chosen, false);
  if (estimateMs > left) {
    return { decision: { applied: false, reason: `not enough of the budget left (about ${Math.ceil(estimateMs / 1e3)} s needed)` } };
  }
  const merged = mergeExamples(keepViews ? mergeExamples(candidate.train, candidate.views) : candidate.train, candidate.val);
  const viewsLeftOut = candidate.views && !keepViews ? `; without the augmented views, which would not have finished in time (about ${Math.ceil(withViews / 1e3)} s)` : "";
  const config = retrainConfig(chosen.config, chosen.head);
  const start = ctx.now();
  const head = await trainHead(merged, candidate.val, {
    numClasses: ctx.numClasses,
    config,
    seed: deriveSeed(ctx.seed, "refit"),
    deadline: ctx.deadline,
    now: ctx.now,
    keepLastEpoch: true
  });
  const ran = head.curve.length;
  if (head.stoppedByDeadline) {
    const progress = config.solver === "lbfgs" ? `${ran} L-BFGS ${iterations(ran)}, before it converged` : `${ran} of ${config.epochs} epochs`;
    return { decision: { applied: false, reason: `the budget ran out after ${progress}; the chosen head was kept` } };
  }
  const refitted = { head, config, seconds: (ctx.now() - start) / 1e3 };
  const how = config.solver === "lbfgs" ? `by L-BFGS, ${ran < config.epochs ? `converged in ${ran} ${iterations(ran)}` : `stopped at its cap of ${ran} iterations`}` : `for the chosen ${config.epochs} epoch${config.epochs === 1 ? "" : "s"}`;
  return {
    decision: {
      applied: true,
      reason: `retrained on train + validation (${merged.rows} images) ${how}${viewsLeftOut}`,
      images: merged.rows,
      epochs: config.epochs
    },
    refitted
  };
}

// src/core/training/candidates.ts
import * as tf5 from "@tensorflow/tfjs";

// src/core/training/small-cnn.ts
import * as tf3 from "@tensorflow/tfjs";
var SMALL_CNN_BATCH_NORM = { epsilon: 1e-3, momentum: 0.99 };
function smallCnnBlocks(inputSize) {
  const filters = inputSize >= 24 ? [16, 32, 64] : [16, 32];
  return filters.map((f, b) => ({ filters: f, convs: b === 0 ? 1 : 2 }));
}
function buildSmallCnn(inputSize, seed) {
  const input2 = tf3.input({ shape: [inputSize, inputSize, 3], name: "input" });
  let x = tf3.layers.rescaling({ scale: 1 / 255, offset: 0, name: "rescale" }).apply(input2);
  let layerSeed = seed;
  smallCnnBlocks(inputSize).forEach(({ filters, convs }, b) => {
    for (let c = 1; c <= convs; c++) {
      const name = `block${b + 1}_conv${c}`;
      x = tf3.layers.conv2d({ filters, kernelSize: 3, padding: "same", useBias: false, kernelInitializer: tf3.initializers.heNormal({ seed: layerSeed++ }), name }).apply(x);
      x = tf3.layers.batchNormalization({ ...SMALL_CNN_BATCH_NORM, name: `${name}_bn` }).apply(x);
      x = tf3.layers.reLU({ name: `${name}_relu` }).apply(x);
    }
    x = tf3.layers.maxPooling2d({ poolSize: 2, name: `block${b + 1}_pool` }).apply(x);
  });
  x = tf3.layers.flatten({ name: "backbone_flatten" }).apply(x);
  return tf3.model({ inputs: input2, outputs: x, name: "small_cnn" });
}
function flipAndShift(size3) {
  return (example, rng) => {
    const flip = rng() < 0.5;
    const dx = Math.floor(rng() * 5) - 2;
    const dy = Math.floor(rng() * 5) - 2;
    if (!flip && dx === 0 && dy === 0) return;
    const source = example.slice();
    for (let y = 0; y < size3; y++) {
      const sy = y - dy;
      for (let x = 0; x < size3; x++) {
        let sx = x - dx;
        if (flip) sx = size3 - 1 - sx;
        const out = (y * size3 + x) * 3;
        if (sy < 0 || sy >= size3 || sx < 0 || sx >= size3) {
          const cy = Math.min(size3 - 1, Math.max(0, sy));
          const cx = Math.min(size3 - 1, Math.max(0, sx));
          const from = (cy * size3 + cx) * 3;
          example[out] = source[from];
          example[out + 1] = source[from + 1];
          example[out + 2] = source[from + 2];
        } else {
          const from = (sy * size3 + sx) * 3;
          example[out] = source[from];
          example[out + 1] = source[from + 1];
          example[out + 2] = source[from + 2];
        }
      }
    }
  };
}

// src/core/training/small-cnn-ort.ts
import * as tf4 from "@tensorflow/tfjs";

// src/core/onnx/small-cnn-graphs.ts
var BATCH = "batch";
function buildSmallCnnGraphs(inputSize, hiddenUnits, classes) {
  const blocks = smallCnnBlocks(inputSize);
  const parameters = [];
  const batchNorms = [];
  let channels = 3;
  let side = inputSize;
  blocks.forEach(({ filters, convs }, b) => {
    for (let c = 1; c <= convs; c++) {
      const conv = `block${b + 1}_conv${c}`;
      parameters.push({ name: `${conv}_kernel`, shape: [filters, channels, 3, 3], role: "kernel" });
      parameters.push({ name: `${conv}_gamma`, shape: [filters], role: "gamma" });
      parameters.push({ name: `${conv}_beta`, shape: [filters], role: "beta" });
      batchNorms.push({ conv, channels: filters, movingMean: `${conv}_moving_mean`, movingVariance: `${conv}_moving_variance` });
      channels = filters;
    }
    side = Math.floor(side / 2);
  });
  const featureDim = side * side * channels;
  const widths = [featureDim, ...hiddenUnits, classes];
  widths.slice(1).forEach((out, j) => {
    parameters.push({ name: `dense${j}_kernel`, shape: [widths[j], out], role: "kernel" });
    parameters.push({ name: `dense${j}_bias`, shape: [out], role: "bias" });
  });
  return {
    step: buildGraph(inputSize, widths, parameters, batchNorms, "step"),
    infer: buildGraph(inputSize, widths, parameters, batchNorms, "infer"),
    parameters,
    batchNorms,
    denseInputs: widths.slice(0, -1),
    featureDim
  };
}
function buildGraph(inputSize, widths, parameters, batchNorms, mode) {
  const g = new OnnxGraph();
  const param = new Map(parameters.map((p) => [p.name, g.addInput(p.name, p.shape)]));
  const moving = /* @__PURE__ */ new Map();
  if (mode === "infer") {
    for (const bn of batchNorms)
      moving.set(bn.conv, { mean: g.addInput(bn.movingMean, [bn.channels]), variance: g.addInput(bn.movingVariance, [bn.channels]) });
  }
  const scalar = (base, value) => g.addFloat(base, { shape: [], values: new Float32Array([value]) });
  let zeroName;
  const zero = () => zeroName ??= scalar("zero", 0);
  const epsilon = scalar("epsilon", SMALL_CNN_BATCH_NORM.epsilon);
  const channelAxes = [0, 2, 3];
  const perChannel = (name, channels2) => g.addNode("Reshape", [name, g.addInt64("per_channel_shape", [1, channels2, 1, 1])], `${name}_4d`);
  const vector = (name) => g.addNode("Reshape", [name, g.addInt64("vector_shape", [-1])], `${name}_vector`);
  const mean = (name, base) => g.addNode("ReduceMean", [name], base, { axes: channelAxes, keepdims: 1 });
  const sum = (name, base) => g.addNode("ReduceSum", [name, g.addInt64("channel_axes", channelAxes)], base, { keepdims: 0 });
  const x = g.addInput("x", [BATCH, inputSize, inputSize, 3]);
  let h = g.addNode("Transpose", [g.addNode("Mul", [x, scalar("byte_scale", 1 / 255)], "x_scaled")], "x_nchw", { perm: [0, 3, 1, 2] });
  const tape = [];
  const batchStats = [];
  let side = inputSize;
  let channels = 3;
  smallCnnBlocks(inputSize).forEach(({ filters, convs }, b) => {
    for (let c = 1; c <= convs; c++) {
      const name = `block${b + 1}_conv${c}`;
      const kernel = param.get(`${name}_kernel`);
      const z = g.addNode("Conv", [h, kernel], `${name}_z`, { kernel_shape: [3, 3], pads: [1, 1, 1, 1] });
      let centred;
      let inverseStd;
      if (mode === "step") {
        const batchMean = mean(z, `${name}_batch_mean`);
        centred = g.addNode("Sub", [z, batchMean], `${name}_centred`);
        const batchVariance = mean(g.addNode("Mul", [centred, centred], `${name}_squared`), `${name}_batch_variance`);
        inverseStd = g.addNode(
          "Reciprocal",
          [g.addNode("Sqrt", [g.addNode("Add", [batchVariance, epsilon], `${name}_var_eps`)], `${name}_std`)],
          `${name}_inv_std`
        );
        batchStats.push(
          { name: `${name}_mean`, source: vector(batchMean), channels: filters },
          { name: `${name}_variance`, source: vector(batchVariance), channels: filters }
        );
      } else {
        const stats = moving.get(name);
        centred = g.addNode("Sub", [z, perChannel(stats.mean, filters)], `${name}_centred`);
        inverseStd = g.addNode(
          "Reciprocal",
          [g.addNode("Sqrt", [g.addNode("Add", [perChannel(stats.variance, filters), epsilon], `${name}_var_eps`)], `${name}_std`)],
          `${name}_inv_std`
        );
      }
      const xhat = g.addNode("Mul", [centred, inverseStd], `${name}_xhat`);
      const gamma = perChannel(param.get(`${name}_gamma`), filters);
      const normalised = g.addNode("Add", [g.addNode("Mul", [xhat, gamma], `${name}_scaled`), perChannel(param.get(`${name}_beta`), filters)], `${name}_bn`);
      const relu = g.addNode("Relu", [normalised], `${name}_relu`);
      if (mode === "step") {
        const gammaOverStd = g.addNode("Mul", [gamma, inverseStd], `${name}_gamma_over_std`);
        tape.push({ kind: "conv", input: h, kernel, xhat, gammaOverStd, relu, name, first: b === 0 && c === 1 });
      }
      h = relu;
      channels = filters;
    }
    const pooled = g.addNode("MaxPool", [h], `block${b + 1}_pool`, { kernel_shape: [2, 2], strides: [2, 2] });
    tape.push({ kind: "pool", input: h, output: pooled, side });
    h = pooled;
    side = Math.floor(side / 2);
  });
  const features = g.addNode("Flatten", [g.addNode("Transpose", [h], "features_nhwc", { perm: [0, 2, 3, 1] })], "features", { axis: 1 });
  const layers2 = widths.length - 1;
  const denseInputs = [];
  const denseOutputs = [];
  const masks = [];
  let a = features;
  for (let j = 0; j < layers2; j++) {
    if (mode === "step") masks.push(g.addInput(`mask_${j}`, [BATCH, widths[j]]));
    const input2 = mode === "step" ? g.addNode("Mul", [a, masks[j]], `dense${j}_dropped`) : a;
    denseInputs.push(input2);
    const z = g.addNode("Add", [g.addNode("MatMul", [input2, param.get(`dense${j}_kernel`)], `dense${j}_matmul`), param.get(`dense${j}_bias`)], `dense${j}_z`);
    a = j < layers2 - 1 ? g.addNode("Relu", [z], `dense${j}_relu`) : z;
    denseOutputs.push(a);
  }
  const probabilities = g.addNode("Softmax", [a], "probabilities", { axis: 1 });
  if (mode === "infer") {
    g.addOutput(probabilities, [BATCH, widths[layers2]]);
    return g.serialize("small_cnn_infer", "classifier-ci: the small CNN with its head, batch norm on moving statistics");
  }
  const target = g.addInput("target", [BATCH, widths[layers2]]);
  const weight = g.addInput("weight", [BATCH, 1]);
  const logProbabilities = g.addNode("LogSoftmax", [a], "log_probabilities", { axis: 1 });
  const loss = g.addNode(
    "Neg",
    [
      g.addNode("ReduceSum", [g.addNode("Mul", [g.addNode("Mul", [target, logProbabilities], "target_log_p"), weight], "weighted")], "loss_sum", {
        keepdims: 0
      })
    ],
    "loss"
  );
  g.addOutput(loss, []);
  const gradients = /* @__PURE__ */ new Map();
  let grad = g.addNode("Mul", [g.addNode("Sub", [probabilities, target], "p_minus_target"), weight], "grad_logits");
  for (let j = layers2 - 1; j >= 0; j--) {
    if (j < layers2 - 1) grad = g.addNode("Where", [g.addNode("Greater", [denseOutputs[j], zero()], `dense${j}_active`), grad, zero()], `grad_dense${j}_z`);
    gradients.set(
      `dense${j}_kernel`,
      g.addNode("MatMul", [g.addNode("Transpose", [denseInputs[j]], `dense${j}_input_t`, { perm: [1, 0] }), grad], `d_dense${j}_kernel`)
    );
    gradients.set(`dense${j}_bias`, g.addNode("ReduceSum", [grad, g.addInt64("batch_axis", [0])], `d_dense${j}_bias`, { keepdims: 0 }));
    const kernelT = g.addNode("Transpose", [param.get(`dense${j}_kernel`)], `dense${j}_kernel_t`, { perm: [1, 0] });
    grad = g.addNode("Mul", [g.addNode("MatMul", [grad, kernelT], `grad_dense${j}_dropped`), masks[j]], `grad_dense${j}_input`);
  }
  grad = g.addNode(
    "Transpose",
    [g.addNode("Reshape", [grad, g.addInt64("features_shape", [-1, side, side, channels])], "grad_features_nhwc")],
    "grad_features",
    {
      perm: [0, 3, 1, 2]
    }
  );
  for (let t = tape.length - 1; t >= 0; t--) {
    const saved = tape[t];
    if (saved.kind === "pool") {
      const even = Math.floor(saved.side / 2) * 2;
      const upsample = (name2) => {
        const up = g.addNode("Resize", [name2, "", g.addFloat("double", { shape: [4], values: new Float32Array([1, 1, 2, 2]) })], `${name2}_up`, {
          mode: "nearest",
          coordinate_transformation_mode: "asymmetric",
          nearest_mode: "floor"
        });
        const odd = saved.side - even;
        return odd ? g.addNode("Pad", [up, g.addInt64("pool_pads", [0, 0, 0, 0, 0, 0, odd, odd])], `${name2}_up_padded`) : up;
      };
      const isMax = g.addNode("Equal", [saved.input, upsample(saved.output)], `${saved.output}_is_max`);
      grad = g.addNode("Where", [isMax, upsample(grad), zero()], `grad_${saved.input}`);
      continue;
    }
    const { name } = saved;
    const gradNormalised = g.addNode("Where", [g.addNode("Greater", [saved.relu, zero()], `${name}_active`), grad, zero()], `grad_${name}_bn`);
    gradients.set(`${name}_beta`, sum(gradNormalised, `d_${name}_beta`));
    const gradTimesXhat = g.addNode("Mul", [gradNormalised, saved.xhat], `${name}_grad_xhat`);
    gradients.set(`${name}_gamma`, sum(gradTimesXhat, `d_${name}_gamma`));
    const inner = g.addNode(
      "Sub",
      [
        g.addNode("Sub", [gradNormalised, mean(gradNormalised, `${name}_grad_mean`)], `${name}_grad_centred`),
        g.addNode("Mul", [saved.xhat, mean(gradTimesXhat, `${name}_grad_xhat_mean`)], `${name}_xhat_term`)
      ],
      `${name}_grad_inner`
    );
    const gradZ = g.addNode("Mul", [inner, saved.gammaOverStd], `grad_${name}_z`);
    const inputT = g.addNode("Transpose", [saved.input], `${name}_input_t`, { perm: [1, 0, 2, 3] });
    const gradZT = g.addNode("Transpose", [gradZ], `grad_${name}_z_t`, { perm: [1, 0, 2, 3] });
    const kernelGradT = g.addNode("Conv", [inputT, gradZT], `grad_${name}_kernel_t`, { pads: [1, 1, 1, 1] });
    gradients.set(`${name}_kernel`, g.addNode("Transpose", [kernelGradT], `d_${name}_kernel`, { perm: [1, 0, 2, 3] }));
    if (!saved.first) grad = g.addNode("ConvTranspose", [gradZ, saved.kernel], `grad_${name}_input`, { kernel_shape: [3, 3], pads: [1, 1, 1, 1] });
  }
  const output = (name, source, shape) => {
    if (g.addNode("Identity", [source], name) !== name) throw new Error(`small CNN graph: the output name ${name} is taken`);
    g.addOutput(name, shape);
  };
  for (const p of parameters) output(`grad_${p.name}`, gradients.get(p.name), p.shape);
  for (const stat4 of batchStats) output(stat4.name, stat4.source, [stat4.channels]);
  return g.serialize("small_cnn_step", "classifier-ci: one training step of the small CNN with its head (forward and backward)");
}

// src/core/training/small-cnn-ort.ts
var ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
var SCORE_BATCH = 256;
async function trainSmallCnnOnOrt(train2, val, options2) {
  const { config, numClasses, trunk } = options2;
  const size3 = trunk.inputShape[0];
  const inputDim = size3 * size3 * 3;
  const graphs = buildSmallCnnGraphs(size3, config.hiddenUnits, numClasses);
  const rng = createRng(options2.seed);
  const params = initialParameters(trunk.model, graphs, options2, rng);
  const moving = movingStatistics(trunk.model, graphs);
  const ort = await loadOnnxRuntime();
  const open2 = (bytes) => openOnnxSession(bytes, { threads: options2.threads, createSession: options2.createSession }).then((o) => o.session);
  const [step, infer] = await Promise.all([open2(graphs.step), open2(graphs.infer)]);
  const tensor4 = (values, shape) => new ort.Tensor("float32", values, shape);
  const classWeights = options2.classWeights === void 0 ? classWeightsFor(train2.y, numClasses).weights : options2.classWeights;
  const smoothing = config.labelSmoothing;
  const adam = new Map(
    graphs.parameters.map((p) => [p.name, { m: new Float32Array(params.get(p.name).length), v: new Float32Array(params.get(p.name).length) }])
  );
  let steps = 0;
  const probabilities = async (x, rows) => {
    const out = new Float32Array(rows * numClasses);
    for (let start = 0; start < rows; start += SCORE_BATCH) {
      const n = Math.min(SCORE_BATCH, rows - start);
      const feeds = { x: tensor4(x.subarray(start * inputDim, (start + n) * inputDim), [n, size3, size3, 3]) };
      for (const p of graphs.parameters) feeds[p.name] = tensor4(params.get(p.name), p.shape);
      for (const bn of graphs.batchNorms) {
        feeds[bn.movingMean] = tensor4(moving.get(bn.movingMean), [bn.channels]);
        feeds[bn.movingVariance] = tensor4(moving.get(bn.movingVariance), [bn.channels]);
      }
      const result = await infer.run(feeds);
      out.set(result.probabilities.data, start * numClasses);
    }
    return out;
  };
  const evaluate2 = async (x, y, rows) => {
    const p = await probabilities(x, rows);
    let loss = 0;
    let correct = 0;
    for (let r = 0; r < rows; r++) {
      const row = p.subarray(r * numClasses, (r + 1) * numClasses);
      loss -= Math.log(Math.max(row[y[r]], 1e-7));
      if (argmax(row) === y[r]) correct++;
    }
    return { loss: rows ? loss / rows : 0, accuracy: rows ? correct / rows : 0 };
  };
  const rowsOf = (rows) => {
    const out = new Float32Array(rows.length * inputDim);
    rows.forEach((row, i) => out.set(train2.x.subarray(row * inputDim, (row + 1) * inputDim), i * inputDim));
    return out;
  };
  const metricRows = Math.min(train2.rows, TRAIN_METRIC_ROWS);
  const metricIndices = Array.from({ length: metricRows }, (_, i) => Math.floor(i * train2.rows / metricRows));
  const metricX = rowsOf(metricIndices);
  const metricY = Int32Array.from(metricIndices, (i) => train2.y[i]);
  let learningRate = config.learningRate;
  const trainStep = async (batchIndices) => {
    const n = batchIndices.length;
    const batch = rowsOf(batchIndices);
    if (trunk.augment) for (let i = 0; i < n; i++) trunk.augment(batch.subarray(i * inputDim, (i + 1) * inputDim), rng);
    const target = new Float32Array(n * numClasses).fill(smoothing / numClasses);
    const weight = new Float32Array(n);
    batchIndices.forEach((row, i) => {
      target[i * numClasses + train2.y[row]] += 1 - smoothing;
      weight[i] = (classWeights ? classWeights[train2.y[row]] : 1) / n;
    });
    const feeds = {
      x: tensor4(batch, [n, size3, size3, 3]),
      target: tensor4(target, [n, numClasses]),
      weight: tensor4(weight, [n, 1])
    };
    graphs.denseInputs.forEach((width, j) => feeds[`mask_${j}`] = tensor4(dropoutMask(n * width, config.dropout, rng), [n, width]));
    for (const p of graphs.parameters) feeds[p.name] = tensor4(params.get(p.name), p.shape);
    const result = await step.run(feeds);
    steps++;
    for (const p of graphs.parameters) {
      const gradient = result[`grad_${p.name}`].data;
      adamUpdate(params.get(p.name), gradient, adam.get(p.name), steps, learningRate, p.role === "kernel" ? config.weightDecay : 0);
    }
    const decay = 1 - SMALL_CNN_BATCH_NORM.momentum;
    for (const bn of graphs.batchNorms) {
      blend(moving.get(bn.movingMean), result[`${bn.conv}_mean`].data, decay);
      blend(moving.get(bn.movingVariance), result[`${bn.conv}_variance`].data, decay);
    }
  };
  const curve = [];
  const snapshot = () => ({ params: cloneAll(params), moving: cloneAll(moving) });
  let best = { loss: Infinity, accuracy: 0, epoch: 0, ...snapshot() };
  let stoppedByDeadline = false;
  const order = Array.from({ length: train2.rows }, (_, i) => i);
  try {
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      learningRate = learningRateAt(config, epoch);
      shuffleInPlace(order, rng);
      for (let start = 0; start < train2.rows; start += config.batchSize) {
        const batchIndices = order.slice(start, start + config.batchSize);
        if (batchIndices.length < 2) continue;
        await trainStep(batchIndices);
      }
      const trainMetrics = await evaluate2(metricX, metricY, metricRows);
      const valMetrics = await evaluate2(val.x, val.y, val.rows);
      const point = epochPoint(epoch, trainMetrics, valMetrics);
      curve.push(point);
      options2.onEpoch?.(point);
      const verdict = epochVerdict(point, best, config, options2);
      if (verdict === "best") best = { loss: valMetrics.loss, accuracy: valMetrics.accuracy, epoch, ...snapshot() };
      else if (verdict === "stop") break;
      if (await deadlineEnds(epoch, config, options2)) {
        stoppedByDeadline = true;
        break;
      }
    }
  } finally {
    await Promise.all([step.release(), infer.release()]);
  }
  writeTrunkWeights(trunk.model, graphs, best.params, best.moving);
  const widths = [graphs.featureDim, ...config.hiddenUnits, numClasses];
  const dense = widths.slice(1).map((outDim, j) => ({
    kernel: best.params.get(`dense${j}_kernel`),
    bias: best.params.get(`dense${j}_bias`),
    inDim: widths[j],
    outDim
  }));
  return {
    weights: { mean: new Float32Array(graphs.featureDim), std: new Float32Array(graphs.featureDim).fill(1), dense },
    curve,
    bestEpoch: best.epoch,
    valAccuracy: best.accuracy,
    valLoss: best.loss,
    stoppedByDeadline
  };
}
function tfjsWeights(model2) {
  return new Map(model2.weights.map((w) => [w.originalName, w]));
}
function transposeKernel(values, shape, toTfjs) {
  const [o, i, h, w] = shape;
  const out = new Float32Array(values.length);
  for (let a = 0; a < o; a++)
    for (let b = 0; b < i; b++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          const onnx2 = ((a * i + b) * h + y) * w + x;
          const tfjs = ((y * w + x) * i + b) * o + a;
          if (toTfjs) out[tfjs] = values[onnx2];
          else out[onnx2] = values[tfjs];
        }
  return out;
}
function tfjsName(parameter) {
  const conv = parameter.name.replace(/_(kernel|gamma|beta)$/, "");
  return parameter.role === "kernel" ? `${conv}/kernel` : `${conv}_bn/${parameter.role}`;
}
var isTrunk = (p) => p.name.startsWith("block");
function initialParameters(model2, graphs, options2, rng) {
  const weights = tfjsWeights(model2);
  const params = /* @__PURE__ */ new Map();
  for (const p of graphs.parameters.filter(isTrunk)) {
    const values = weights.get(tfjsName(p)).read().dataSync();
    params.set(p.name, p.role === "kernel" ? transposeKernel(values, p.shape, false) : values.slice());
  }
  const dense = graphs.parameters.filter((p) => !isTrunk(p));
  for (let j = 0; j < dense.length / 2; j++) {
    const [inDim, outDim] = dense[j * 2].shape;
    const initial = options2.initialDense?.[j];
    if (options2.initialDense && (!initial || initial.inDim !== inDim || initial.outDim !== outDim))
      throw new Error("initialDense does not match the configured layer widths");
    params.set(`dense${j}_kernel`, initial ? initial.kernel.slice() : glorotUniform(inDim, outDim, rng));
    params.set(`dense${j}_bias`, initial ? initial.bias.slice() : new Float32Array(outDim));
  }
  return params;
}
function movingStatistics(model2, graphs) {
  const weights = tfjsWeights(model2);
  const stats = /* @__PURE__ */ new Map();
  for (const bn of graphs.batchNorms) {
    stats.set(bn.movingMean, weights.get(`${bn.conv}_bn/moving_mean`).read().dataSync().slice());
    stats.set(bn.movingVariance, weights.get(`${bn.conv}_bn/moving_variance`).read().dataSync().slice());
  }
  return stats;
}
function writeTrunkWeights(model2, graphs, params, moving) {
  const weights = tfjsWeights(model2);
  const set = (name, values) => {
    const variable2 = weights.get(name);
    const value = tf4.tensor(values, variable2.shape);
    variable2.write(value);
    value.dispose();
  };
  for (const p of graphs.parameters.filter(isTrunk))
    set(tfjsName(p), p.role === "kernel" ? transposeKernel(params.get(p.name), p.shape, true) : params.get(p.name));
  for (const bn of graphs.batchNorms) {
    set(`${bn.conv}_bn/moving_mean`, moving.get(bn.movingMean));
    set(`${bn.conv}_bn/moving_variance`, moving.get(bn.movingVariance));
  }
}
function cloneAll(map) {
  return new Map([...map].map(([name, values]) => [name, values.slice()]));
}
function dropoutMask(length, rate, rng) {
  const mask = new Float32Array(length).fill(1);
  if (rate <= 0) return mask;
  const kept = 1 / (1 - rate);
  for (let i = 0; i < length; i++) mask[i] = rng() >= rate ? kept : 0;
  return mask;
}
function adamUpdate(w, gradient, state, step, learningRate, decay) {
  const { beta1, beta2, epsilon } = ADAM;
  const correction1 = 1 - beta1 ** step;
  const correction2 = 1 - beta2 ** step;
  for (let i = 0; i < w.length; i++) {
    const g = gradient[i] + decay * w[i];
    state.m[i] = beta1 * state.m[i] + (1 - beta1) * g;
    state.v[i] = beta2 * state.v[i] + (1 - beta2) * g * g;
    w[i] -= learningRate * (state.m[i] / correction1) / (Math.sqrt(state.v[i] / correction2) + epsilon);
  }
}
function blend(moving, batch, decay) {
  for (let i = 0; i < moving.length; i++) moving[i] = moving[i] * (1 - decay) + batch[i] * decay;
}
function argmax(row) {
  let best = 0;
  for (let c = 1; c < row.length; c++) if (row[c] > row[best]) best = c;
  return best;
}

// src/core/training/candidates.ts
function defaultConfig(kind, maxEpochs) {
  return kind === "frozen" ? { solver: "lbfgs", learningRate: 1e-3, batchSize: 32, hiddenUnits: [], dropout: 0.2, weightDecay: 1e-3, labelSmoothing: 0, epochs: LBFGS_MAX_ITERATIONS } : {
    solver: "adam",
    learningRate: 2e-3,
    batchSize: 32,
    hiddenUnits: [128],
    dropout: 0.3,
    weightDecay: 5e-4,
    labelSmoothing: 0.1,
    epochs: Math.min(maxEpochs, 40),
    schedule: "cosine"
  };
}
async function fit(candidate, config, context) {
  const start = context.now();
  const base = { numClasses: context.numClasses, config, seed: context.seed, deadline: context.deadline, now: context.now };
  if (candidate.kind === "frozen") {
    const train2 = candidate.views ? mergeExamples(candidate.train, candidate.views) : candidate.train;
    return { head: await trainHead(train2, candidate.val, base), config, seconds: (context.now() - start) / 1e3 };
  }
  const size3 = candidate.spec.inputSize;
  const model2 = buildSmallCnn(size3, context.seed);
  const warm = context.warmStart;
  const warmHead = warm && warm.config.hiddenUnits.join() === config.hiddenUnits.join() ? warm.head.weights.dense : void 0;
  if (warmHead) model2.setWeights(warm.trunk.getWeights());
  try {
    const options2 = { ...base, trunk: { model: model2, inputShape: [size3, size3, 3], augment: flipAndShift(size3) }, initialDense: warmHead, patience: 6 };
    const trainer = candidate.cnnTrainer;
    const head = trainer ? await trainSmallCnnOnOrt(candidate.train, candidate.val, { ...options2, threads: trainer.threads, createSession: trainer.createSession }) : await trainHead(candidate.train, candidate.val, options2);
    return { head, trunk: model2, trunkRole: "whole", config, seconds: (context.now() - start) / 1e3 };
  } catch (error) {
    model2.dispose();
    throw error;
  }
}
function predictProbabilities(fitted, examples) {
  if (!fitted.trunk) return predictHead(fitted.head.weights, examples.x, examples.rows);
  const exampleShape = fitted.trunk.inputs[0].shape.slice(1);
  const perExample = exampleShape.reduce((a, b) => a * b, 1);
  const features = tf5.tidy(() => {
    const parts = [];
    for (let start = 0; start < examples.rows; start += 256) {
      const rows = Math.min(256, examples.rows - start);
      const x = tf5.tensor(examples.x.subarray(start * perExample, (start + rows) * perExample), [rows, ...exampleShape]);
      parts.push(fitted.trunk.predict(x).dataSync());
    }
    const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const p of parts) {
      out.set(p, offset);
      offset += p.length;
    }
    return out;
  });
  return predictHead(fitted.head.weights, features, examples.rows);
}
function disposeFitted(fitted) {
  fitted?.trunk?.dispose();
}

// src/core/training/folds.ts
function stratifiedFolds(y, k, seed) {
  const folds = new Int32Array(y.length);
  const byLabel = /* @__PURE__ */ new Map();
  y.forEach((label, row) => byLabel.set(label, [...byLabel.get(label) ?? [], row]));
  const rng = createRng(seed);
  let next = 0;
  for (const label of [...byLabel.keys()].sort((a, b) => a - b)) {
    const rows = shuffleInPlace(byLabel.get(label), rng);
    for (const row of rows) folds[row] = next++ % k;
  }
  return folds;
}

// src/core/training/selection.ts
var TRANSFER_PRIOR = ["pretrained-native", "pretrained-below-native", "hand-made", "from-scratch"];
var TIER_WORDS = {
  "pretrained-native": "pretrained at its native resolution",
  "pretrained-below-native": "pretrained, below its native resolution",
  "hand-made": "hand-made features",
  "from-scratch": "trained from scratch"
};
function priorTierOf(spec) {
  if (spec.source === SMALL_CNN) return "from-scratch";
  if (spec.source === HOG) return "hand-made";
  const builtin = spec.builtin ? BUILTIN_BACKBONES[spec.source] : void 0;
  return builtin && spec.inputSize < builtin.defaultSize ? "pretrained-below-native" : "pretrained-native";
}
var WITHIN_NOISE_RULE = {
  name: "prior among candidates within the 95% interval of the best mean",
  prior: TRANSFER_PRIOR,
  tolerance: 0
};
function estimateOf(scores) {
  return "folds" in scores ? tInterval(scores.folds) : wilsonInterval(scores.correct, scores.images);
}
var pct = (x) => `${(x * 100).toFixed(1)}%`;
var described = (e) => `${pct(e.mean)} [${pct(e.low)}\u2013${pct(e.high)}]`;
function selectCandidate(entries, rule = WITHIN_NOISE_RULE) {
  if (!entries.length) throw new Error("selectCandidate needs at least one candidate");
  const estimates = new Map(entries.map((e) => [e.id, estimateOf(e.scores)]));
  const est = (e) => estimates.get(e.id);
  const rank = (e) => {
    const i = rule.prior.indexOf(e.tier);
    return i < 0 ? rule.prior.length : i;
  };
  const byPrior = (a, b) => rank(a) - rank(b) || a.cost - b.cost || est(b).mean - est(a).mean;
  const best = [...entries].sort((a, b) => est(b).mean - est(a).mean || byPrior(a, b))[0];
  const floor = est(best).low - rule.tolerance;
  const contenders = entries.filter((e) => est(e).mean >= floor).sort(byPrior);
  const others = entries.filter((e) => est(e).mean < floor).sort((a, b) => est(b).mean - est(a).mean);
  const order = [...contenders, ...others];
  const winner = order[0];
  const runnerUp = order[1] ?? null;
  let reason;
  if (winner === best) {
    reason = contenders.length > 1 ? `${winner.displayName} has the best estimate, ${described(est(winner))}; ${contenders.length - 1} other candidate${contenders.length > 2 ? "s are" : " is"} within its interval, none preferred by the prior.` : `${winner.displayName} has the best estimate, ${described(est(winner))}, and is the only candidate within its interval.`;
  } else {
    reason = `${winner.displayName} (${TIER_WORDS[winner.tier]}), ${described(est(winner))}, is within the interval of the best estimate (${best.displayName}, ${described(est(best))}), and the prior prefers ${TIER_WORDS[winner.tier]} over ${TIER_WORDS[best.tier]}.`;
    if (winner.tier === best.tier)
      reason = `${winner.displayName}, ${described(est(winner))}, is within the interval of the best estimate (${best.displayName}, ${described(est(best))}) and is the cheaper backbone.`;
  }
  return { winner: winner.id, runnerUp: runnerUp?.id ?? null, reason, estimates, contenders: contenders.map((e) => e.id) };
}
function rowsWhere(examples, keep) {
  const dim = examples.x.length / Math.max(1, examples.rows);
  const rows = [];
  for (let r = 0; r < examples.rows; r++) if (keep(r)) rows.push(r);
  const x = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => x.set(examples.x.subarray(r * dim, (r + 1) * dim), i * dim));
  return { x, y: Int32Array.from(rows, (r) => examples.y[r]), rows: rows.length };
}
var DEFAULT_FOLDS = 5;
async function crossValidate(candidate, fitted, ctx) {
  const planned = ctx.folds ?? DEFAULT_FOLDS;
  const all = mergeExamples(candidate.train, candidate.val);
  const perFoldMs = foldHeadMs(candidate, fitted, all.rows, planned);
  const affordable = Math.floor((ctx.deadline - ctx.now()) / Math.max(1, perFoldMs));
  const k = Math.min(planned, affordable, Math.floor(all.rows / 2));
  if (k < 2) {
    return {
      scores: [],
      planned,
      note: all.rows < 4 ? "too few images to cross-validate" : `no time left to cross-validate (about ${Math.ceil(2 * perFoldMs / 1e3)} s needed for 2 folds)`
    };
  }
  const scores = [];
  await trainFolds(all, k, retrainConfig(fitted.config, fitted.head), { ...ctx, name: "cv" }, ({ head }) => scores.push(head.curve.at(-1).valAccuracy));
  if (scores.length < 2) return { scores: [], planned, note: `the bake-off's time ran out after ${scores.length} fold${scores.length === 1 ? "" : "s"}` };
  const note = scores.length < planned ? `${scores.length} of ${planned} folds: the bake-off's time is short` : void 0;
  return { scores, planned, ...note ? { note } : {} };
}
function foldHeadMs(candidate, fitted, rows, k) {
  const trainedRows = Math.max(1, candidate.train.rows + (candidate.views?.rows ?? 0));
  return fitted.seconds * 1e3 * retrainTimeShare(fitted.config, fitted.head) * (rows * (1 - 1 / k)) / trainedRows;
}
async function trainFolds(all, k, config, ctx, onFold) {
  const folds = stratifiedFolds(all.y, k, deriveSeed(ctx.seed, `${ctx.name}-folds`));
  for (let fold = 0; fold < k; fold++) {
    const heldOut = rowsWhere(all, (r) => folds[r] === fold);
    const head = await trainHead(
      rowsWhere(all, (r) => folds[r] !== fold),
      heldOut,
      { numClasses: ctx.numClasses, config, seed: deriveSeed(ctx.seed, `${ctx.name}-fold-${fold}`), deadline: ctx.deadline, now: ctx.now, keepLastEpoch: true }
    );
    if (head.stoppedByDeadline) return false;
    onFold({ heldOut, rows: [...folds.keys()].filter((r) => folds[r] === fold), head });
  }
  return true;
}
async function scoreCandidate(candidate, fitted, ctx) {
  const cv = candidate.kind === "frozen" ? (
    // The candidate has trained: a failed extra measurement falls back to its validation score rather than losing it.
    await crossValidate(candidate, fitted, ctx).catch((error) => ({
      scores: [],
      planned: ctx.folds ?? DEFAULT_FOLDS,
      note: `cross-validation failed (${error instanceof Error ? error.message : String(error)})`
    }))
  ) : { scores: [], planned: 0, note: "trained end to end, too slow to cross-validate: its validation score, with a Wilson interval" };
  if (cv.scores.length >= 2) {
    const scores2 = { folds: cv.scores };
    return { scores: scores2, cv: { folds: cv.scores.length, ...estimateOf(scores2), ...cv.note ? { note: cv.note } : {} } };
  }
  const scores = { correct: Math.round(fitted.head.valAccuracy * candidate.val.rows), images: candidate.val.rows };
  return { scores, cv: { folds: 0, ...estimateOf(scores), note: cv.note ?? "not cross-validated" } };
}

// src/core/model/temperature.ts
var FLOOR = 1e-12;
function applyTemperature(probabilities, classes, temperature) {
  if (temperature === 1) return probabilities.slice();
  const out = new Float32Array(probabilities.length);
  for (let start = 0; start < probabilities.length; start += classes) {
    let max = -Infinity;
    for (let j = 0; j < classes; j++) max = Math.max(max, Math.log(Math.max(FLOOR, probabilities[start + j])) / temperature);
    let sum = 0;
    for (let j = 0; j < classes; j++) {
      const e = Math.exp(Math.log(Math.max(FLOOR, probabilities[start + j])) / temperature - max);
      out[start + j] = e;
      sum += e;
    }
    for (let j = 0; j < classes; j++) out[start + j] /= sum;
  }
  return out;
}

// src/core/training/calibration.ts
function negativeLogLikelihood(probabilities, labels, classes) {
  let sum = 0;
  for (let row = 0; row < labels.length; row++) sum -= Math.log(Math.max(FLOOR, probabilities[row * classes + labels[row]]));
  return labels.length ? sum / labels.length : 0;
}
function expectedCalibrationError(probabilities, labels, classes, bins = 10) {
  const count = new Array(bins).fill(0);
  const hits = new Array(bins).fill(0);
  const confidence = new Array(bins).fill(0);
  for (let row = 0; row < labels.length; row++) {
    let top = 0;
    for (let j = 1; j < classes; j++) if (probabilities[row * classes + j] > probabilities[row * classes + top]) top = j;
    const p = probabilities[row * classes + top];
    const bin = Math.min(bins - 1, Math.floor(p * bins));
    count[bin]++;
    confidence[bin] += p;
    if (top === labels[row]) hits[bin]++;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) if (count[b]) ece += Math.abs(hits[b] - confidence[b]) / labels.length;
  return ece;
}
var MIN_T = 0.05;
var MAX_T = 20;
function nllAt(logP, labels, classes, temperature) {
  let sum = 0;
  for (let row = 0; row < labels.length; row++) {
    let max = -Infinity;
    for (let j = 0; j < classes; j++) max = Math.max(max, logP[row * classes + j] / temperature);
    let z = 0;
    for (let j = 0; j < classes; j++) z += Math.exp(logP[row * classes + j] / temperature - max);
    sum += max + Math.log(z) - logP[row * classes + labels[row]] / temperature;
  }
  return sum / labels.length;
}
function fitTemperature(probabilities, labels, classes) {
  if (!labels.length) return 1;
  const logP = Float64Array.from(probabilities, (p) => Math.log(Math.max(FLOOR, p)));
  const loss = (logT) => nllAt(logP, labels, classes, Math.exp(logT));
  const steps = 40;
  const grid = Array.from({ length: steps + 1 }, (_, i) => Math.log(MIN_T) + i / steps * (Math.log(MAX_T) - Math.log(MIN_T)));
  const losses2 = grid.map(loss);
  const best = losses2.indexOf(Math.min(...losses2));
  let a = grid[Math.max(0, best - 1)];
  let b = grid[Math.min(steps, best + 1)];
  const phi = (Math.sqrt(5) - 1) / 2;
  let c = b - phi * (b - a);
  let d = a + phi * (b - a);
  let fc = loss(c);
  let fd = loss(d);
  while (b - a > 1e-4) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - phi * (b - a);
      fc = loss(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + phi * (b - a);
      fd = loss(d);
    }
  }
  return Number(Math.exp((a + b) / 2).toPrecision(4));
}
var MIN_CALIBRATION_IMAGES = 50;
var MIN_CALIBRATION_MISTAKES = 2;
function calibrateOnValidation(candidate, fitted, classes) {
  const val = candidate.val;
  if (val.rows < MIN_CALIBRATION_IMAGES) return `only ${val.rows} validation images (at least ${MIN_CALIBRATION_IMAGES} are needed to fit a temperature)`;
  const probabilities = predictProbabilities(fitted, val);
  const mistakes = countMistakes(probabilities, val.y, classes);
  if (mistakes < MIN_CALIBRATION_MISTAKES)
    return `${mistakes === 0 ? "no" : `only ${mistakes}`} wrong validation prediction${mistakes === 1 ? "" : "s"} to fit a temperature on (at least ${MIN_CALIBRATION_MISTAKES} are needed)`;
  return calibrationOn(probabilities, val, classes, "validation");
}
function calibrationOn(probabilities, examples, classes, source) {
  const temperature = fitTemperature(probabilities, examples.y, classes);
  return {
    temperature,
    images: examples.rows,
    source,
    nllBefore: negativeLogLikelihood(probabilities, examples.y, classes),
    nllAfter: negativeLogLikelihood(applyTemperature(probabilities, classes, temperature), examples.y, classes)
  };
}
async function calibrateOutOfFold(candidate, fitted, classes, ctx) {
  if (fitted.trunk || candidate.kind !== "frozen") return calibrateOnValidation(candidate, fitted, classes);
  const all = mergeExamples(candidate.train, candidate.val);
  const k = DEFAULT_FOLDS;
  if (all.rows < MIN_CALIBRATION_IMAGES)
    return `only ${all.rows} training and validation images (at least ${MIN_CALIBRATION_IMAGES} are needed to fit a temperature)`;
  if (ctx.now() + k * foldHeadMs(candidate, fitted, all.rows, k) > ctx.deadline) return calibrateOnValidation(candidate, fitted, classes);
  const probabilities = new Float32Array(all.rows * classes);
  const done = await trainFolds(
    all,
    k,
    retrainConfig(fitted.config, fitted.head),
    { numClasses: classes, seed: ctx.seed, deadline: ctx.deadline, now: ctx.now, name: "calibration" },
    ({ heldOut, rows, head }) => {
      const predicted = predictHead(head.weights, heldOut.x, heldOut.rows);
      rows.forEach((r, i) => probabilities.set(predicted.subarray(i * classes, (i + 1) * classes), r * classes));
    }
  );
  if (!done) return calibrateOnValidation(candidate, fitted, classes);
  const mistakes = countMistakes(probabilities, all.y, classes);
  if (mistakes < MIN_CALIBRATION_MISTAKES)
    return `${mistakes === 0 ? "no" : `only ${mistakes}`} wrong out-of-fold prediction${mistakes === 1 ? "" : "s"} to fit a temperature on (at least ${MIN_CALIBRATION_MISTAKES} are needed)`;
  return calibrationOn(probabilities, all, classes, "out-of-fold");
}
function countMistakes(probabilities, labels, classes) {
  let mistakes = 0;
  for (let row = 0; row < labels.length; row++) {
    let top = 0;
    for (let j = 1; j < classes; j++) if (probabilities[row * classes + j] > probabilities[row * classes + top]) top = j;
    if (top !== labels[row]) mistakes++;
  }
  return mistakes;
}

// src/core/evaluate.ts
var MAX_MISTAKES = 24;
function topKFor(labelCount) {
  return labelCount > 5 ? 5 : labelCount > 2 ? 2 : null;
}
var ECE_BINS = 10;
function evaluate(labels, examples, raw, calibration) {
  const n = labels.length;
  const calibrated = calibration && "temperature" in calibration ? calibration : void 0;
  const probabilities = calibrated ? applyTemperature(raw, n, calibrated.temperature) : raw;
  const confusion = labels.map(() => new Array(n).fill(0));
  const k = topKFor(n);
  let correct = 0;
  let topKHits = 0;
  const mistakes = [];
  examples.forEach((example, row) => {
    const p = probabilities.subarray(row * n, (row + 1) * n);
    let predicted = 0;
    for (let j = 1; j < n; j++) if (p[j] > p[predicted]) predicted = j;
    confusion[example.label][predicted]++;
    if (predicted === example.label) correct++;
    else
      mistakes.push({
        file: example.file,
        sha256: example.sha256,
        trueLabel: labels[example.label],
        predictedLabel: labels[predicted],
        confidence: p[predicted]
      });
    if (k) {
      let higher = 0;
      for (let j = 0; j < n; j++) if (p[j] > p[example.label]) higher++;
      if (higher < k) topKHits++;
    }
  });
  const perLabel = labels.map((label, i) => {
    const tp = confusion[i][i];
    const support = confusion[i].reduce((a, b) => a + b, 0);
    const predictedCount = confusion.reduce((sum, row) => sum + row[i], 0);
    const precision = predictedCount ? tp / predictedCount : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? 2 * precision * recall / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
  const total = examples.length;
  mistakes.sort((a, b) => b.confidence - a.confidence || (a.file < b.file ? -1 : 1));
  const truth = examples.map((e) => e.label);
  const interval = wilsonInterval(correct, total);
  return {
    images: total,
    accuracy: total ? correct / total : 0,
    accuracyInterval: { low: interval.low, high: interval.high, method: "wilson" },
    ...calibrated ? {
      calibration: {
        temperature: calibrated.temperature,
        fittedOn: calibrated.fittedOn,
        fittedWith: calibrated.fittedWith,
        eceBefore: expectedCalibrationError(raw, truth, n, ECE_BINS),
        eceAfter: expectedCalibrationError(probabilities, truth, n, ECE_BINS),
        bins: ECE_BINS
      }
    } : {},
    ...calibration && "skipped" in calibration ? { calibrationSkipped: { reason: calibration.skipped, ece: expectedCalibrationError(raw, truth, n, ECE_BINS), bins: ECE_BINS } } : {},
    topK: k ? { k, accuracy: total ? topKHits / total : 0 } : null,
    macroF1: perLabel.reduce((s, l) => s + l.f1, 0) / n,
    perLabel,
    confusion: { labels, matrix: confusion },
    mistakes: mistakes.slice(0, MAX_MISTAKES)
  };
}
async function attachThumbnails(mistakes, pathOf) {
  const sharp = (await import("sharp")).default;
  return Promise.all(
    mistakes.map(async (mistake) => {
      const path = pathOf(mistake.file);
      if (!path) return mistake;
      try {
        const jpeg = await sharp(path, { failOn: "none", animated: false }).rotate().flatten({ background: "#ffffff" }).resize(96, 96, { fit: "inside", withoutEnlargement: false }).jpeg({ quality: 80 }).toBuffer();
        return { ...mistake, thumbnail: `data:image/jpeg;base64,${jpeg.toString("base64")}` };
      } catch {
        return mistake;
      }
    })
  );
}

// src/core/evaluate-folder.ts
import { readFile } from "node:fs/promises";
import { basename, dirname, join as join3 } from "node:path";
async function checkFolder(dataset, labels, workDir = DEFAULT_CACHE_DIR) {
  const scan = await scanDataset(await datasetFolder(dataset, workDir), void 0, dataset);
  const known = new Set(labels);
  const unknown = [...new Set(scan.records.map((r) => r.label))].filter((label) => !known.has(label));
  if (unknown.length) {
    const folders = unknown.map((label) => labelFolder(dataset, label)).join(", ");
    throw new InputError(
      `${folders}: the model has no label ${unknown.map((l) => `"${l}"`).join(", ")}; it knows ${labels.map((l) => `"${l}"`).join(", ")}. Rename ${unknown.length > 1 ? "those folders" : "that folder"} to the model's label for those images, or move ${unknown.length > 1 ? "them" : "it"} out of ${dataset}.`,
      unknown[0]
    );
  }
  if (!scan.records.length) {
    throw new InputError(
      `${dataset} holds no images in label folders. Put each image under a folder named after its label, as for training (${labelFolder(dataset, labels[0])}\u2026).`,
      dataset
    );
  }
  return scan;
}
function gapBeyondNoise(gap) {
  return gap.high < 0 || gap.low > 0;
}
function gapSentence(evaluation, reference = "Test split at training") {
  const { atTraining, gap } = evaluation;
  if (!atTraining || !gap) return null;
  const pct2 = (x) => `${(x * 100).toFixed(1)}%`;
  const points = (x) => `${Math.abs(x * 100).toFixed(1)} points`;
  const signed = (x) => `${x < 0 ? "\u2212" : "+"}${Math.abs(x * 100).toFixed(1)}`;
  const start = `${reference}: ${pct2(atTraining.accuracy)} of ${atTraining.images}.`;
  const range = `95% interval of the gap: ${signed(gap.low)} to ${signed(gap.high)} points`;
  if (!gapBeyondNoise(gap)) return `${start} The difference is within the noise of the two samples (${range}).`;
  return gap.mean < 0 ? `${start} Here it is ${points(gap.mean)} lower (${range}): these images are harder for the model than images like the ones it trained on.` : `${start} Here it is ${points(gap.mean)} higher (${range}).`;
}
async function trainingMetrics(modelDir) {
  const text = await readFile(join3(modelDir, "metrics.json"), "utf8").catch(() => void 0);
  if (text === void 0) return void 0;
  try {
    const parsed = TestMetrics.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : void 0;
  } catch {
    return void 0;
  }
}
function answersAt(probabilities, examples, classes, threshold) {
  let answered = 0;
  let right = 0;
  examples.forEach((example, row) => {
    const p = probabilities.subarray(row * classes, (row + 1) * classes);
    let best = 0;
    for (let j = 1; j < classes; j++) if (p[j] > p[best]) best = j;
    if (p[best] < threshold) return;
    answered++;
    if (best === example.label) right++;
  });
  return { threshold, answered, right };
}
function trainedOnHashes(images) {
  return new Set(images.filter((i) => i.split !== "test").map((i) => i.sha256));
}
async function trainedOn(modelDir) {
  const text = await readFile(join3(dirname(modelDir), "result.json"), "utf8").catch(() => void 0);
  if (text === void 0) return void 0;
  try {
    const result = parseRunResult(JSON.parse(text));
    if (basename(result.model.dir) !== basename(modelDir) || !result.dataset.files) return void 0;
    return trainedOnHashes(result.dataset.files);
  } catch {
    return void 0;
  }
}
async function evaluateFolder(classifier, modelDir, dataset, options2 = {}) {
  const labels = classifier.labels;
  const scan = options2.scan ?? await checkFolder(dataset, labels, options2.workDir);
  const index = new Map(labels.map((label, i) => [label, i]));
  const trained = options2.trainedOn ?? await trainedOn(modelDir);
  const seen = trained ? scan.records.filter((r) => trained.has(r.sha256)) : [];
  const records = seen.length ? scan.records.filter((r) => !trained.has(r.sha256)) : scan.records;
  if (!records.length) {
    throw new InputError(
      `All ${scan.records.length} images in ${dataset} are ones the model trained on (its training or validation split), so they say nothing of how it does on new images. Give a folder of images it has not seen.`,
      dataset
    );
  }
  const examples = [];
  const rows = [];
  const unreadable2 = [];
  for (const [done, record] of records.entries()) {
    try {
      const result = await classifier.classify(record.path);
      for (const label of labels) rows.push(result.probabilities[label]);
      examples.push({ file: record.file, sha256: record.sha256, label: index.get(record.label) });
    } catch (error) {
      unreadable2.push({ file: record.file, reason: error.message });
    }
    options2.onImage?.(done + 1, records.length);
  }
  if (!examples.length) throw new InputError(`None of the ${records.length} images in ${dataset} could be read (${unreadable2[0].reason}).`, dataset);
  const probabilities = Float32Array.from(rows);
  const threshold = options2.minConfidence;
  const atMinConfidence = threshold ? answersAt(probabilities, examples, labels.length, threshold) : void 0;
  const metrics = evaluate(labels, examples, probabilities);
  const present = new Set(examples.map((e) => e.label));
  const training = options2.atTraining ?? await trainingMetrics(modelDir);
  const correct = Math.round(metrics.accuracy * metrics.images);
  return {
    metrics,
    ece: expectedCalibrationError(
      probabilities,
      examples.map((e) => e.label),
      labels.length,
      ECE_BINS
    ),
    unreadable: unreadable2,
    seen: seen.map((r) => r.file),
    skipped: scan.skipped,
    missingLabels: labels.filter((_, i) => !present.has(i)),
    ...atMinConfidence ? { atMinConfidence } : {},
    ...training && training.images > 0 ? {
      atTraining: { images: training.images, accuracy: training.accuracy },
      gap: differenceInterval(
        { successes: correct, trials: metrics.images },
        { successes: Math.round(training.accuracy * training.images), trials: training.images }
      )
    } : {}
  };
}

export {
  headSettings,
  THUMBNAIL_SIZE,
  prepareDataset,
  applyTemperature,
  createRng,
  deriveSeed,
  shuffleInPlace,
  LBFGS_MAX_ITERATIONS,
  trainHead,
  retrainConfig,
  classBalanceOf,
  mergeExamples,
  estimateRefitMs,
  refitOnTrainAndVal,
  require_onnx,
  OnnxGraph,
  loadOnnxRuntime,
  sessionFactoryOf,
  openOnnxSession,
  detectOnnxRuntime,
  defaultConfig,
  fit,
  predictProbabilities,
  disposeFitted,
  stratifiedFolds,
  TRANSFER_PRIOR,
  priorTierOf,
  WITHIN_NOISE_RULE,
  estimateOf,
  selectCandidate,
  DEFAULT_FOLDS,
  foldHeadMs,
  trainFolds,
  scoreCandidate,
  negativeLogLikelihood,
  calibrateOutOfFold,
  evaluate,
  attachThumbnails,
  checkFolder,
  gapBeyondNoise,
  gapSentence,
  trainedOnHashes,
  evaluateFolder
};
