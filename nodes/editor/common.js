/*
 * The editor helper shared by the package's node .html files: catalog text with
 * a fallback, and validator results that work on every supported Node-RED.
 * scripts/copy-assets.js inlines this expression where a file says
 * const SMPP = null /*@@EDITOR-COMMON@@*\/;
 */
(function () {
    'use strict';
    // Validators may return a message string from Node-RED 3.1; before that only true/false.
    const STRING_ERRORS = (function () {
        const m = /^(\d+)\.(\d+)/.exec(String((RED.settings && RED.settings.version) || ''));
        return !m || Number(m[1]) > 3 || (Number(m[1]) === 3 && Number(m[2]) >= 1);
    })();

    /** Replaces __name__ with opts.name, as Node-RED's catalogs do. */
    function fill(text, opts) {
        return String(text).replace(/__(\w+)__/g, function (m, k) {
            return opts && Object.prototype.hasOwnProperty.call(opts, k) ? String(opts[k]) : m;
        });
    }

    /** t(key, opts, fallback): catalog text for <type>.<key>, or the fallback filled in when the catalog lacks it. */
    function translator(type) {
        return function t(key, opts, fallback) {
            const full = type + '.' + key;
            const def = RED.nodes.getType(type);
            let text = def && def._ ? def._(full, opts || {}) : full;
            if (typeof text !== 'string' || text === full || text.indexOf(':' + full) !== -1) {
                text = fill(fallback === undefined ? key : fallback, opts);
            }
            return text;
        };
    }

    /** What a validator returns for an invalid value: the reason (3.1+) or false. */
    function fail(text) {
        return STRING_ERRORS ? text : false;
    }

    function esc(s) {
        return String(s).replace(/[&<>"']/g, function (c) {
            return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
        });
    }

    return { STRING_ERRORS: STRING_ERRORS, fill: fill, translator: translator, fail: fail, esc: esc };
})()
