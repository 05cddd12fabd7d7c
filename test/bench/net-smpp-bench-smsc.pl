#!/usr/bin/perl
# The benchmark's independent SMSC: every PDU is decoded and encoded by Net::SMPP (Debian package
# libnet-smpp-perl), a codec written by neither us nor the `smpp` package nor Kannel, so the raw
# client, smpp-send and Kannel's bearerbox are measured against the same third party.
# Listens on 127.0.0.1 (port 0 = any), prints "LISTENING <port>", serves one ESME connection at a
# time (any bind with --system-id/--password; transceiver, transmitter or receiver), answers
# submit_sm at once with a hex message_id, and with --receipts sends a delivery receipt (text form,
# stat:DELIVRD, plus the TLVs receipted_message_id and message_state) for each submit_sm that asks
# for one (registered_delivery != 0), right after its submit_sm_resp.
# It prints little (the benchmark reads it): "BOUND <system_id>", "MARK <conn> <submits> <time>"
# every --mark submits (time in seconds, Time::HiRes), "CLOSED <conn> submits=N receipts=N
# receipt_resps=N". It ends after --max-seconds or when its parent is gone.
use strict;
use warnings;
use Getopt::Long;
use IO::Select;
use POSIX qw(strftime);
use Time::HiRes qw(time);
use Net::SMPP;
use Socket qw(IPPROTO_TCP TCP_NODELAY);

my ($port, $system_id, $password, $max_seconds, $receipts, $mark) = (0, 'bench', 'bench', 3600, 0, 1000);
GetOptions('port=i' => \$port, 'system-id=s' => \$system_id, 'password=s' => \$password,
    'max-seconds=i' => \$max_seconds, 'receipts' => \$receipts, 'mark=i' => \$mark)
    or die "usage: $0 [--port N] [--system-id S] [--password P] [--max-seconds N] [--receipts] [--mark N]\n";
$| = 1;
my $deadline = time + $max_seconds;
my $parent   = getppid();
sub should_stop { return time >= $deadline || getppid() != $parent }

my $listener = Net::SMPP->new_listen('127.0.0.1', port => $port, timeout => 1, system_id => 'netsmpp-bench')
    or die "cannot listen on 127.0.0.1:$port: $!\n";
printf "LISTENING %d\n", $listener->sockport;

my %BIND = (
    Net::SMPP::CMD_bind_transmitter() => 'bind_transmitter_resp',
    Net::SMPP::CMD_bind_receiver()    => 'bind_receiver_resp',
    Net::SMPP::CMD_bind_transceiver() => 'bind_transceiver_resp',
);
my ($conns, $ids) = (0, 0);

sub serve {
    my ($conn, $n) = @_;
    my $sel = IO::Select->new($conn);
    my ($submits, $sent, $resps) = (0, 0, 0);
    my $date = strftime('%y%m%d%H%M', localtime);
    while (!should_stop()) {
        next unless $sel->can_read(0.5);
        my $pdu = $conn->read_pdu() or last;
        my ($cmd, $seq) = ($pdu->{cmd}, $pdu->{seq});
        if ($cmd == Net::SMPP::CMD_submit_sm()) {
            my $id = sprintf('%x', 0x10000000 + ++$ids);
            $conn->submit_sm_resp(seq => $seq, status => 0, message_id => $id);
            printf "MARK %d %d %.6f\n", $n, $submits, time if ++$submits % $mark == 0;
            if ($receipts && $pdu->{registered_delivery}) {
                $conn->deliver_sm(
                    async => 1, source_addr_ton => 1, source_addr_npi => 1,
                    source_addr => defined $pdu->{destination_addr} ? $pdu->{destination_addr} : '',
                    dest_addr_ton => 0, dest_addr_npi => 0,
                    destination_addr => defined $pdu->{source_addr} ? $pdu->{source_addr} : '',
                    esm_class => 0x04, data_coding => 0,
                    short_message => "id:$id sub:001 dlvrd:001 submit date:$date done date:$date stat:DELIVRD err:000 text:",
                    receipted_message_id => "$id\0", message_state => pack('C', 2),
                );
                $sent++;
            }
        } elsif (exists $BIND{$cmd}) {
            my $ok = ($pdu->{system_id} // '') eq $system_id && ($pdu->{password} // '') eq $password;
            my $resp = $BIND{$cmd};
            $conn->$resp(seq => $seq, status => $ok ? 0 : 0x0E);
            print "BOUND $pdu->{system_id}\n" if $ok;
        } elsif ($cmd == Net::SMPP::CMD_deliver_sm_resp()) {
            $resps++;
        } elsif ($cmd == Net::SMPP::CMD_enquire_link()) {
            $conn->enquire_link_resp(seq => $seq);
        } elsif ($cmd == Net::SMPP::CMD_unbind()) {
            $conn->unbind_resp(seq => $seq);
        } elsif (!($cmd & 0x80000000)) {
            $conn->generic_nack(seq => $seq, status => 0x03);
        }
    }
    printf "CLOSED %d submits=%d receipts=%d receipt_resps=%d\n", $n, $submits, $sent, $resps;
}

while (!should_stop()) {
    my $conn = $listener->accept() or next;
    $conns++;
    # answers leave at once, as from a production SMSC (no Nagle delay behind an unacknowledged segment)
    setsockopt($conn, IPPROTO_TCP, TCP_NODELAY, 1);
    serve($conn, $conns);
    $conn->close();
}
exit 0;
