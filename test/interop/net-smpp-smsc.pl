#!/usr/bin/perl
# A small SMSC for the interop tests (test/interop/net-smpp.test.ts).
# The session logic is ours and minimal; every PDU is encoded and decoded by
# Net::SMPP (Debian package libnet-smpp-perl), an SMPP 3.4 codec written
# independently of ours, so the test checks our bytes against it.
#
# It listens on 127.0.0.1 (port 0 = any free one), prints "LISTENING <port>",
# then serves ESME connections one after the other:
# - bind_transmitter / bind_receiver / bind_transceiver: answered (status 0 when
#   system_id and password match --system-id / --password, else ESME_RINVPASWD);
# - after a receiver or transceiver bind: sends --mo deliver_sm (MO), odd ones in
#   data_coding 0 ("mo N hello"), even ones in UCS2 ("mo N " + euro sign + a-ring),
#   each with the TLV user_message_reference = N; then one enquire_link;
# - with --concat-mo, after those: two concatenated MOs, their parts out of
#   order: UCS2 in 3 parts with an 8-bit UDH (ref 0x5A, sent 2,3,1; the cut
#   between parts 1 and 2 splits a surrogate pair), and GSM 7-bit in 2 parts
#   with the SAR TLVs (ref 0x1234, sent 2,1; the cut splits the escape of a
#   euro sign). Each part printed as "SENT concat_part seq=.. via=.. ref=.. part=..";
# - submit_sm: answered with message_id "nsm-<count>" (ESME_RINVBNDSTS when not bound to send);
# - with --receipts text|tlv|both (default off): submit_sm is answered with a hex
#   message_id (5eed0001, 5eed0002, ...) and, when its registered_delivery is not 0,
#   followed by a delivery receipt deliver_sm (esm_class 0x04, state DELIVERED):
#   "text" puts "id:.. sub:001 dlvrd:001 submit date:.. done date:.. stat:DELIVRD
#   err:000 text:.." in short_message, "tlv" sends the TLVs receipted_message_id and
#   message_state (2) with an empty short_message, "both" does both; each printed
#   as "SENT receipt seq=.. id=.. form=..". --receipt-id-form decimal writes the
#   decimal value of the hex id in the receipt (text and TLV);
#   --receipt-timing says when: "immediate" (default) sends each submit_sm's receipt
#   right after its submit_sm_resp, before reading the next PDU, so the parts of a
#   long message get resp 1, receipt 1, resp 2, receipt 2, ...; "before-response"
#   sends the receipt first and the submit_sm_resp after it. Each submit_sm_resp is
#   printed as "SENT submit_sm_resp seq=.. id=..";
# - enquire_link and unbind: answered; anything else unknown: generic_nack ESME_RINVCMDID.
# Every PDU received is printed on one line (fields it decoded, short_message in hex).
# It ends by itself after --max-seconds, or when its parent is gone.
use strict;
use warnings;
use Encode qw(encode);
use Getopt::Long;
use IO::Select;
use POSIX qw(strftime);
use Net::SMPP;

my $port        = 0;
my $mo_count    = 2;
my $system_id   = 'nrgw-interop';
my $password    = 'pw1234';
my $max_seconds = 60;
my $concat_mo   = 0;
my $receipts    = '';
my $receipt_id_form = 'hex';
my $receipt_timing  = 'immediate';
GetOptions(
    'port=i'        => \$port,
    'mo=i'          => \$mo_count,
    'system-id=s'   => \$system_id,
    'password=s'    => \$password,
    'max-seconds=i' => \$max_seconds,
    'concat-mo'     => \$concat_mo,
    'receipts=s'    => \$receipts,
    'receipt-id-form=s' => \$receipt_id_form,
    'receipt-timing=s'  => \$receipt_timing,
) or die "usage: $0 [--port N] [--mo N] [--system-id S] [--password P] [--max-seconds N] [--concat-mo] [--receipts text|tlv|both] [--receipt-id-form hex|decimal] [--receipt-timing immediate|before-response]\n";
die "--receipts must be text, tlv or both\n" if $receipts ne '' && $receipts !~ /^(text|tlv|both)$/;
die "--receipt-id-form must be hex or decimal\n" if $receipt_id_form !~ /^(hex|decimal)$/;
die "--receipt-timing must be immediate or before-response\n" if $receipt_timing !~ /^(immediate|before-response)$/;

$| = 1;
my $deadline = time + $max_seconds;
my $parent   = getppid();

sub should_stop {
    return 1 if time >= $deadline;
    return 1 if getppid() != $parent;
    return 0;
}

my $listener = Net::SMPP->new_listen('127.0.0.1', port => $port, timeout => 1, system_id => 'netsmpp-smsc')
    or die "cannot listen on 127.0.0.1:$port: $!\n";
printf "LISTENING %d\n", $listener->sockport;

my %BIND = (
    Net::SMPP::CMD_bind_transmitter() => 'transmitter',
    Net::SMPP::CMD_bind_receiver()    => 'receiver',
    Net::SMPP::CMD_bind_transceiver() => 'transceiver',
);
my $ESME_RINVBNDSTS = 0x04;
my $ESME_RALYBND    = 0x05;
my $ESME_RINVPASWD  = 0x0E;
my $ESME_RINVCMDID  = 0x03;

my $connections = 0;
my $submits     = 0;

sub hex_of { return unpack('H*', defined $_[0] ? $_[0] : '') }
sub str_of { return defined $_[0] ? $_[0] : '' }

sub send_mos {
    my ($conn) = @_;
    for my $n (1 .. $mo_count) {
        my ($dc, $sm);
        if ($n % 2) {
            ($dc, $sm) = (0, "mo $n hello");
        } else {
            ($dc, $sm) = (8, encode('UTF-16BE', "mo $n \x{20AC}\x{E5}"));
        }
        my $seq = $conn->deliver_sm(
            async                  => 1,
            source_addr_ton        => 1,
            source_addr_npi        => 1,
            source_addr            => '4670000009',
            dest_addr_ton          => 0,
            dest_addr_npi          => 0,
            destination_addr       => '12345',
            data_coding            => $dc,
            short_message          => $sm,
            user_message_reference => pack('n', $n),
        );
        printf "SENT deliver_sm seq=%d n=%d data_coding=%d sm_hex=%s\n", $seq, $n, $dc, hex_of($sm);
    }
    send_concat_mos($conn) if $concat_mo;
    my $seq = $conn->enquire_link(async => 1);
    printf "SENT enquire_link seq=%d\n", $seq;
}

sub send_concat_part {
    my ($conn, $via, $ref, $part, $dc, $sm, %tlv) = @_;
    my $seq = $conn->deliver_sm(
        async            => 1,
        source_addr_ton  => 1,
        source_addr_npi  => 1,
        source_addr      => '4670000009',
        dest_addr_ton    => 0,
        dest_addr_npi    => 0,
        destination_addr => '12345',
        esm_class        => ($via eq 'udh8' ? 0x40 : 0),
        data_coding      => $dc,
        short_message    => $sm,
        %tlv,
    );
    printf "SENT concat_part seq=%d via=%s ref=%d part=%d data_coding=%d sm_hex=%s\n", $seq, $via, $ref, $part, $dc, hex_of($sm);
}

sub send_concat_mos {
    my ($conn) = @_;
    # UCS2, 3 parts, 8-bit UDH; "concat " is 14 octets, the cut at 16 falls inside U+1F600
    my $ucs2 = encode('UTF-16BE', "concat \x{1F600} from Net::SMPP in three parts");
    my @chunks = (substr($ucs2, 0, 16), substr($ucs2, 16, 30), substr($ucs2, 46));
    for my $part (2, 3, 1) {
        send_concat_part($conn, 'udh8', 0x5A, $part, 8, pack('C*', 5, 0, 3, 0x5A, 3, $part) . $chunks[$part - 1]);
    }
    # GSM 7-bit (unpacked), 2 parts, SAR TLVs; part 1 ends with the escape of the euro sign
    my @gsm = ("SAR split 5\x1b", "\x65 end");
    for my $part (2, 1) {
        send_concat_part($conn, 'sar', 0x1234, $part, 0, $gsm[$part - 1],
            sar_msg_ref_num    => pack('n', 0x1234),
            sar_total_segments => pack('C', 2),
            sar_segment_seqnum => pack('C', $part));
    }
}

# a delivery receipt (DELIVERED) for the submit_sm $sub answered with message_id $id
sub send_receipt {
    my ($conn, $sub, $id) = @_;
    my $rid  = $receipt_id_form eq 'decimal' ? sprintf('%d', hex($id)) : $id;
    my $date = strftime('%y%m%d%H%M', localtime);
    my $snippet = substr(str_of($sub->{short_message}), 0, 20);
    $snippet =~ s/[^\x20-\x7e]/./g;
    my ($sm, @tlv) = ('');
    if ($receipts ne 'tlv') {
        $sm = "id:$rid sub:001 dlvrd:001 submit date:$date done date:$date stat:DELIVRD err:000 text:$snippet";
    }
    if ($receipts ne 'text') {
        @tlv = (receipted_message_id => "$rid\0", message_state => pack('C', 2));
    }
    my $seq = $conn->deliver_sm(
        async            => 1,
        source_addr_ton  => $sub->{dest_addr_ton},
        source_addr_npi  => $sub->{dest_addr_npi},
        source_addr      => str_of($sub->{destination_addr}),
        dest_addr_ton    => $sub->{source_addr_ton},
        dest_addr_npi    => $sub->{source_addr_npi},
        destination_addr => str_of($sub->{source_addr}),
        esm_class        => 0x04,
        data_coding      => 0,
        short_message    => $sm,
        @tlv,
    );
    printf "SENT receipt seq=%d id=%s form=%s receipt_id=%s\n", $seq, $id, $receipts, $rid;
}

sub serve {
    my ($conn) = @_;
    my $sel   = IO::Select->new($conn);
    my $bound = '';
    while (!should_stop()) {
        next unless $sel->can_read(0.5);
        my $pdu = $conn->read_pdu();
        if (!$pdu) {
            print "EOF\n";
            return;
        }
        my ($cmd, $seq, $status) = ($pdu->{cmd}, $pdu->{seq}, $pdu->{status});
        if (exists $BIND{$cmd}) {
            my $mode = $BIND{$cmd};
            printf "BIND mode=%s seq=%d system_id=%s password=%s system_type=%s interface_version=0x%02x addr_ton=%d addr_npi=%d address_range=%s\n",
                $mode, $seq, str_of($pdu->{system_id}), str_of($pdu->{password}), str_of($pdu->{system_type}),
                $pdu->{interface_version}, $pdu->{addr_ton}, $pdu->{addr_npi}, str_of($pdu->{address_range});
            my $st = $bound ? $ESME_RALYBND
                : (str_of($pdu->{system_id}) eq $system_id && str_of($pdu->{password}) eq $password) ? 0
                : $ESME_RINVPASWD;
            my $resp = "bind_${mode}_resp";
            $conn->$resp(seq => $seq, status => $st);
            printf "SENT %s seq=%d status=%d\n", $resp, $seq, $st;
            next if $st != 0;
            $bound = $mode;
            send_mos($conn) if $mode ne 'transmitter';
        } elsif ($cmd == Net::SMPP::CMD_submit_sm()) {
            my $ok = $bound eq 'transmitter' || $bound eq 'transceiver';
            my $id = !$ok ? '' : $receipts ne '' ? sprintf('%x', 0x5eed0000 + ++$submits) : sprintf('nsm-%d', ++$submits);
            printf "SUBMIT seq=%d service_type=%s src=%d/%d/%s dst=%d/%d/%s esm_class=%d protocol_id=%d priority_flag=%d registered_delivery=%d data_coding=%d sm_default_msg_id=%d sm_hex=%s message_id=%s\n",
                $seq, str_of($pdu->{service_type}),
                $pdu->{source_addr_ton}, $pdu->{source_addr_npi}, str_of($pdu->{source_addr}),
                $pdu->{dest_addr_ton}, $pdu->{dest_addr_npi}, str_of($pdu->{destination_addr}),
                $pdu->{esm_class}, $pdu->{protocol_id}, $pdu->{priority_flag}, $pdu->{registered_delivery},
                $pdu->{data_coding}, $pdu->{sm_default_msg_id}, hex_of($pdu->{short_message}), $id;
            my $with_receipt = $ok && $receipts ne '' && $pdu->{registered_delivery};
            send_receipt($conn, $pdu, $id) if $with_receipt && $receipt_timing eq 'before-response';
            $conn->submit_sm_resp(seq => $seq, status => ($ok ? 0 : $ESME_RINVBNDSTS), message_id => $id);
            printf "SENT submit_sm_resp seq=%d id=%s\n", $seq, $id;
            send_receipt($conn, $pdu, $id) if $with_receipt && $receipt_timing eq 'immediate';
        } elsif ($cmd == Net::SMPP::CMD_enquire_link()) {
            printf "ENQUIRE_LINK seq=%d\n", $seq;
            $conn->enquire_link_resp(seq => $seq);
        } elsif ($cmd == Net::SMPP::CMD_unbind()) {
            printf "UNBIND seq=%d\n", $seq;
            $conn->unbind_resp(seq => $seq);
            $bound = '';
        } elsif ($cmd == Net::SMPP::CMD_deliver_sm_resp()) {
            printf "DELIVER_SM_RESP seq=%d status=%d message_id=%s\n", $seq, $status, str_of($pdu->{message_id});
        } elsif ($cmd == Net::SMPP::CMD_enquire_link_resp()) {
            printf "ENQUIRE_LINK_RESP seq=%d status=%d\n", $seq, $status;
        } elsif ($cmd == Net::SMPP::CMD_generic_nack()) {
            printf "GENERIC_NACK seq=%d status=%d\n", $seq, $status;
        } else {
            printf "UNEXPECTED cmd=0x%08x seq=%d status=%d\n", $cmd, $seq, $status;
            $conn->generic_nack(seq => $seq, status => $ESME_RINVCMDID) unless $cmd & 0x80000000;
        }
    }
}

while (!should_stop()) {
    my $conn = $listener->accept();
    next unless $conn;
    $connections++;
    print "CONNECTED $connections\n";
    serve($conn);
    $conn->close();
    print "CLOSED $connections\n";
}
print "EXITING after $max_seconds s or without a parent\n";
exit 0;
