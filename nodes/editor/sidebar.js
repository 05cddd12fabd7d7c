// The SMPP sidebar tab (inlined into smpp-gateway.html at build): every running gateway with
// its state and since when, window and queue use, rates, counters, throttling and last error,
// updated live from RED.comms (topic smpp-gateway/state/<id>, at most once a second per
// gateway), with the buttons of smpp-control (rebuild, disconnect, connect). Plain jQuery and
// RED.sidebar / RED.comms, which Node-RED 3.1, 4 and 5 all have.
(function () {
    'use strict';
    if (!RED.sidebar || !RED.comms || $('#smpp-gw-sidebar').length) return;

    const NS = 'node-red-contrib-smpp-gateway/smpp-gateway:smpp-gateway.';
    const TOPIC = 'smpp-gateway/state/';
    const gateways = {};

    function t(key, opts, fallback) {
        const text = RED._(NS + key, opts || {});
        if (typeof text !== 'string' || text === NS + key || text === 'smpp-gateway.' + key) {
            return String(fallback === undefined ? key : fallback).replace(/__(\w+)__/g, function (m, k) {
                return opts && Object.prototype.hasOwnProperty.call(opts, k) ? String(opts[k]) : m;
            });
        }
        return text;
    }

    const content = $('<div id="smpp-gw-sidebar" class="red-ui-sidebar-info" style="padding: 8px; overflow-y: auto; height: 100%; box-sizing: border-box;"></div>');
    const list = $('<div class="smpp-gw-sb-list"></div>').appendTo(content);
    const empty = $('<div class="smpp-gw-sb-empty" style="color: var(--red-ui-secondary-text-color, #888);"></div>').appendTo(content);

    function ago(iso) {
        const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
        if (s < 60) return t('sidebar.secondsAgo', { n: s }, '__n__ s ago');
        if (s < 3600) return t('sidebar.minutesAgo', { n: Math.floor(s / 60) }, '__n__ min ago');
        return t('sidebar.hoursAgo', { n: Math.floor(s / 3600) }, '__n__ h ago');
    }

    function colour(g) {
        if (g.state === 'bound') return 'green';
        if (g.state === 'retrying' || g.state === 'badconfig') return 'red';
        if (g.state === 'stopped' || g.state === 'closed' || g.state === 'closing') return 'grey';
        return 'yellow';
    }

    /** Why the link is down, in words: a refused login names what the SMSC refused. */
    function why(g) {
        if (g.state === 'badconfig') return g.detail;
        if (g.state !== 'retrying') return '';
        let text = g.status ? t('refused.' + g.status, null, t('refused.other', null, 'the SMSC refused the bind')) + ' (' + g.status + ')' : (g.reason || '');
        if (g.retryInMs !== null && g.retryInMs !== undefined) {
            text += ' - ' + t('sidebar.nextTry', { seconds: Math.ceil(g.retryInMs / 1000) }, 'next attempt __seconds__ s after the drop');
        }
        return text;
    }

    function row(label, value, key) {
        return $('<tr>').attr('data-key', key)
            .append($('<td style="padding-right: 8px; color: var(--red-ui-secondary-text-color, #888);">').text(label))
            .append($('<td>').text(value));
    }

    /** The card of a gateway, built once: updates change its texts only, so a button is never replaced under the pointer. */
    function card(g) {
        const el = $('<div class="smpp-gw-sb-gateway" style="margin-bottom: 12px; border-bottom: 1px solid var(--red-ui-secondary-border-color, #ddd); padding-bottom: 8px;">')
            .attr('data-id', g.id);
        const head = $('<div style="font-weight: bold;">').appendTo(el);
        $('<span class="smpp-gw-sb-name">').appendTo(head);
        $('<span class="smpp-gw-sb-address" style="font-weight: normal; color: var(--red-ui-secondary-text-color, #888);">').appendTo(head);
        const state = $('<div class="smpp-gw-sb-state" style="margin: 4px 0;">').appendTo(el);
        $('<span class="smpp-gw-sb-dot" style="display: inline-block; width: 9px; height: 9px; border-radius: 5px; margin-right: 6px;"></span>').appendTo(state);
        $('<span class="smpp-gw-sb-word">').appendTo(state);
        $('<span class="smpp-gw-sb-since" style="color: var(--red-ui-secondary-text-color, #888);">').appendTo(state);
        $('<div class="smpp-gw-sb-why" style="color: var(--red-ui-text-color-error, #c00); white-space: normal;">').appendTo(el);
        $('<table class="smpp-gw-sb-table" style="font-size: 0.9em;">').appendTo(el);
        const buttons = $('<div class="smpp-gw-sb-buttons" style="margin-top: 6px;">').appendTo(el);
        [['rebuild', 'refresh'], ['disconnect', 'unlink'], ['connect', 'link']].forEach(function (b) {
            $('<button type="button" class="red-ui-button red-ui-button-small smpp-gw-sb-' + b[0] + '" style="margin-right: 4px;">')
                .append($('<i class="fa fa-' + b[1] + '"></i>')).append(' ').append($('<span>').text(t('sidebar.' + b[0], null, b[0])))
                .on('click', function () { act(el.attr('data-id'), b[0]); })
                .appendTo(buttons);
        });
        return el;
    }

    function sinceText(since) {
        return ' ' + t('sidebar.since', { time: new Date(since).toLocaleTimeString(), ago: ago(since) }, 'since __time__ (__ago__)');
    }

    /** Fills a card with the gateway's view. */
    function fill(el, g) {
        el.find('.smpp-gw-sb-name').text(g.name || g.address);
        el.find('.smpp-gw-sb-address').text(g.name ? ' ' + g.address : '');
        el.find('.smpp-gw-sb-dot').css('background', { green: '#5a8', red: '#c00', yellow: '#F9DF31', grey: '#d3d3d3' }[colour(g)]);
        el.find('.smpp-gw-sb-word').text(t('canvas.' + g.word, null, g.word));
        el.find('.smpp-gw-sb-since').attr('data-since', g.since || '').text(g.since ? sinceText(g.since) : '');
        const reason = why(g);
        el.find('.smpp-gw-sb-why').text(reason).toggle(!!reason);
        const running = g.state !== 'badconfig';
        el.find('.smpp-gw-sb-buttons').toggle(running);
        const table = el.find('.smpp-gw-sb-table').empty().toggle(running);
        if (!running) return;
        const c = g.counters || {};
        if (g.window) table.append(row(t('sidebar.window', null, 'Window'), g.window.inUse + ' / ' + g.window.size, 'window'));
        if (g.queue) table.append(row(t('sidebar.queue', null, 'Send queue'), g.queue.depth + ' / ' + g.queue.size, 'queue'));
        if (g.receiving) table.append(row(t('sidebar.receiving', null, 'Unacknowledged in'), g.receiving.unacknowledged + ' / ' + g.receiving.size, 'receiving'));
        if (g.rates) {
            table.append(row(t('sidebar.sendRate', null, 'Sending'), t('sidebar.perSecond', { n: g.rates.sendPerSecond }, '__n__ /s'), 'sendRate'));
            table.append(row(t('sidebar.receiveRate', null, 'Receiving'), t('sidebar.perSecond', { n: g.rates.receivePerSecond }, '__n__ /s'), 'receiveRate'));
        }
        table.append(row(t('sidebar.sent', null, 'Submitted / accepted / failed'), (c.submitted || 0) + ' / ' + (c.accepted || 0) + ' / ' + (c.failed || 0), 'sent'));
        table.append(row(t('sidebar.inbound', null, 'MO / receipts'), (c.mos || 0) + ' / ' + (c.receipts || 0), 'inbound'));
        table.append(row(t('sidebar.reconnects', null, 'Binds / reconnects'), (c.binds || 0) + ' / ' + (c.reconnects || 0), 'reconnects'));
        table.append(row(t('sidebar.throttled', null, 'Throttled'), g.throttled
            ? g.throttled.status + ', ' + t('sidebar.pause', { ms: g.throttled.pauseMs }, 'pause __ms__ ms') + ', ' + new Date(g.throttled.at).toLocaleTimeString()
            : String(c.throttledResponses || 0), 'throttled'));
        table.append(row(t('sidebar.lastError', null, 'Last error'), g.lastError ? g.lastError + (g.lastErrorAt ? ' (' + new Date(g.lastErrorAt).toLocaleTimeString() + ')' : '') : '-', 'lastError'));
    }

    function act(id, action) {
        $.ajax({ url: 'smpp-gateway/' + encodeURIComponent(id) + '/' + action, type: 'POST', contentType: 'application/json', data: '{}' })
            .fail(function (xhr) {
                RED.notify(t('sidebar.actionFailed', { action: action, status: xhr.status }, '__action__ failed (HTTP __status__)'), 'error');
            });
    }

    const cards = {};

    function render() {
        const ids = Object.keys(gateways).sort(function (a, b) {
            return String(gateways[a].name || gateways[a].address).localeCompare(String(gateways[b].name || gateways[b].address));
        });
        Object.keys(cards).forEach(function (id) {
            if (!gateways[id]) {
                cards[id].remove();
                delete cards[id];
            }
        });
        ids.forEach(function (id) {
            if (!cards[id]) cards[id] = card(gateways[id]);
            fill(cards[id], gateways[id]);
        });
        // move cards only when the order changed (a moved card would lose a click in progress)
        const shown = list.children().map(function () { return $(this).attr('data-id'); }).get();
        if (shown.join('\n') !== ids.join('\n')) ids.forEach(function (id) { list.append(cards[id]); });
        empty.text(ids.length ? '' : t('sidebar.empty', null, 'No SMPP gateway is running. Deploy a flow with an smpp-gateway.')).toggle(!ids.length);
    }

    function load() {
        $.getJSON('smpp-gateway/gateways', function (data) {
            Object.keys(gateways).forEach(function (k) { delete gateways[k]; });
            (data || []).forEach(function (g) { gateways[g.id] = g; });
            render();
        });
    }

    RED.comms.subscribe(TOPIC + '#', function (topic, g) {
        if (!g || !g.id) return;
        if (g.removed) delete gateways[g.id];
        else gateways[g.id] = g;
        render();
    });
    // a redeploy restarts the gateways; read the list again when the runtime says flows started
    RED.events.on('runtime-state', function () { load(); });

    RED.sidebar.addTab({
        id: 'smpp-gateway',
        label: 'SMPP',
        name: t('sidebar.title', null, 'SMPP gateways'),
        iconClass: 'fa fa-exchange',
        content: content,
        enableOnEdit: true,
        onchange: function () { load(); }
    });
    setInterval(function () {
        content.find('.smpp-gw-sb-since').each(function () {
            const since = $(this).attr('data-since');
            if (since) $(this).text(sinceText(since));
        });
    }, 1000);
    load();
})();
