package io.queuack.arrow;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.CRC32C;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;

/**
 * A CRC32C of every buffer of every record batch of a dataset, in file order, computed from the vectors as
 * they are written and checked against the bytes as they are read, so damage inside a batch body is caught
 * instead of read back as wrong values. A file-format dataset keeps them in its footer's metadata under
 * {@value #METADATA_KEY}; a stream-format one in a trailer after its end marker (Arrow readers stop at the
 * marker and never see it). Files without checksums (written elsewhere) are read unchecked.
 */
final class BatchChecksums {

    static final String METADATA_KEY = "queuack.crc32c";
    private static final byte[] TRAILER_MAGIC = "QKCRC32C".getBytes(StandardCharsets.US_ASCII);

    private int[] values = new int[64];
    private int count;

    /** Adds the checksum of each buffer of {@code batch}, as it is about to be written. */
    void add(ArrowRecordBatch batch) {
        for (ArrowBuf buffer : batch.getBuffers()) {
            if (count == values.length) {
                values = Arrays.copyOf(values, count * 2);
            }
            values[count++] = of(buffer, 0, buffer.readableBytes());
        }
    }

    /** @return the CRC32C of {@code length} bytes of {@code buffer} from {@code offset} */
    static int of(ArrowBuf buffer, long offset, long length) {
        CRC32C crc = new CRC32C();
        if (length > 0) {
            crc.update(buffer.nioBuffer(offset, Math.toIntExact(length)));
        }
        return (int) crc.getValue();
    }

    /** @return the checksums as footer metadata text */
    String encoded() {
        return Base64.getEncoder().encodeToString(bytes(0).array());
    }

    /** @return the checksums decoded from footer metadata text */
    static int[] decode(String text) {
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(text)).order(ByteOrder.LITTLE_ENDIAN);
        int[] decoded = new int[bytes.remaining() / 4];
        bytes.asIntBuffer().get(decoded);
        return decoded;
    }

    /** @return the stream trailer: the checksums, their count, then the trailer's magic */
    ByteBuffer trailer() {
        ByteBuffer bytes = bytes(4 + TRAILER_MAGIC.length);
        bytes.position(count * 4);
        bytes.putInt(count).put(TRAILER_MAGIC);
        return bytes.flip();
    }

    private ByteBuffer bytes(int extra) {
        ByteBuffer bytes = ByteBuffer.allocate(count * 4 + extra).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asIntBuffer().put(values, 0, count);
        return bytes;
    }

    /** @return whether the last bytes of a file, {@code end}, are the magic that ends a stream trailer */
    static boolean endsTrailer(ByteBuffer end) {
        byte[] magic = new byte[TRAILER_MAGIC.length];
        end.duplicate().position(end.limit() - TRAILER_MAGIC.length).get(magic);
        return Arrays.equals(magic, TRAILER_MAGIC);
    }

    /** Bytes at the end of a trailer after the checksums: their count and the magic. */
    static int trailerTail() {
        return 4 + TRAILER_MAGIC.length;
    }
}
