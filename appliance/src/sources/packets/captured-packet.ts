/**
 * One frame as a capture recorded it, before any decoding. File readers (pcap, pcapng) and a live
 * capture produce these; everything under sources/packets/ consumes them and knows no files.
 */
export interface CapturedPacket {
  /** Epoch milliseconds when the frame was captured. */
  time: number;
  /** LINKTYPE_* value of the interface the frame came from (1 Ethernet, 113 Linux SLL, ...). */
  linkType: number;
  /** The bytes captured, possibly fewer than were on the wire (snap length). */
  data: Uint8Array;
  /** Length of the frame on the wire. */
  originalLength: number;
}
