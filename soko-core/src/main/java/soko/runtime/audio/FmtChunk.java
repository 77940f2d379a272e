package soko.runtime.audio;

import java.util.Arrays;
import java.util.Locale;
import soko.runtime.AudioFormatException;

/**
 * Reads a WAV fmt chunk: PCM, IEEE float or WAVE_FORMAT_EXTENSIBLE with a standard sub-format,
 * checked for consistency ({@link WavFormat}); any other codec is refused by its name.
 */
final class FmtChunk {
  private static final int WAVE_FORMAT_PCM = 0x0001;
  private static final int WAVE_FORMAT_IEEE_FLOAT = 0x0003;
  private static final int WAVE_FORMAT_EXTENSIBLE = 0xFFFE;
  /** The last 14 bytes of every KSDATAFORMAT_SUBTYPE GUID; the first 2 are the format tag. */
  private static final byte[] GUID_SUFFIX = {
      0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71};

  private FmtChunk() {}

  /** The format the fmt chunk's bytes say, once checked; {@code name} names the file in messages. */
  static WavFormat parse(byte[] fmt, String name) throws AudioFormatException {
    int tag = LittleEndian.u16(fmt, 0);
    int channels = LittleEndian.u16(fmt, 2);
    long sampleRate = LittleEndian.u32(fmt, 4);
    long byteRate = LittleEndian.u32(fmt, 8);
    int blockAlign = LittleEndian.u16(fmt, 12);
    int bits = LittleEndian.u16(fmt, 14);
    int validBits = bits;
    if (tag == WAVE_FORMAT_EXTENSIBLE) {
      if (fmt.length < 40 || LittleEndian.u16(fmt, 16) < 22) {
        throw fail(name, "the WAVE_FORMAT_EXTENSIBLE fmt chunk is " + fmt.length + " bytes, but it needs 40; the file is damaged");
      }
      validBits = LittleEndian.u16(fmt, 18);
      if (!Arrays.equals(fmt, 26, 40, GUID_SUFFIX, 0, GUID_SUFFIX.length)) {
        throw fail(name, "the WAVE_FORMAT_EXTENSIBLE sub-format is not a standard audio format; convert it to PCM (" + WavReader.CONVERT + ")");
      }
      tag = LittleEndian.u16(fmt, 24);
    }
    Encoding encoding = switch (tag) {
      case WAVE_FORMAT_PCM -> switch (bits) {
        case 8 -> Encoding.PCM_U8;
        case 16 -> Encoding.PCM_S16;
        case 24 -> Encoding.PCM_S24;
        case 32 -> Encoding.PCM_S32;
        default -> throw fail(name, bits + "-bit PCM is not supported; use 8, 16, 24 or 32-bit PCM or 32/64-bit float (" + WavReader.CONVERT + ")");
      };
      case WAVE_FORMAT_IEEE_FLOAT -> switch (bits) {
        case 32 -> Encoding.FLOAT32;
        case 64 -> Encoding.FLOAT64;
        default -> throw fail(name, bits + "-bit float is not supported; use 32 or 64-bit float or PCM (" + WavReader.CONVERT + ")");
      };
      default -> throw fail(name, codecName(tag) + " audio is not supported; convert it to PCM (" + WavReader.CONVERT + ")");
    };
    if (validBits < 1 || validBits > bits) {
      throw fail(name, "the header says " + validBits + " valid bits in " + bits + "-bit samples; the header is inconsistent");
    }
    if (channels == 0) {
      throw fail(name, "the header says 0 channels; the file is damaged");
    }
    if (channels > 2) {
      throw fail(name, channels + " channels are not supported; use mono or stereo (e.g. sox in.wav -c 1 out.wav)");
    }
    if (sampleRate < Wav.MIN_SAMPLE_RATE || sampleRate > Wav.MAX_SAMPLE_RATE) {
      throw fail(name, sampleRate + " Hz is not supported; use a WAV file from 8 to 48 kHz (e.g. sox in.wav -r 16000 out.wav)");
    }
    WavFormat format = new WavFormat(encoding, channels, (int) sampleRate);
    if (blockAlign != format.blockAlign()) {
      throw fail(name, "the header says " + blockAlign + " bytes per frame, but " + channels + " channel(s) of " + encoding
          + " need " + format.blockAlign() + "; the header is inconsistent");
    }
    if (byteRate != sampleRate * format.blockAlign()) {
      throw fail(name, "the header says " + byteRate + " bytes per second, but " + format + " needs "
          + sampleRate * format.blockAlign() + "; the header is inconsistent");
    }
    return format;
  }

  private static String codecName(int tag) {
    return switch (tag) {
      case 0x0002 -> "Microsoft ADPCM";
      case 0x0006 -> "A-law";
      case 0x0007 -> "µ-law";
      case 0x0011 -> "IMA ADPCM";
      case 0x0031 -> "GSM 6.10";
      case 0x0050 -> "MPEG";
      case 0x0055 -> "MP3";
      case 0x00FF, 0x1610 -> "AAC";
      default -> String.format(Locale.ROOT, "Format 0x%04X", tag);
    };
  }

  private static AudioFormatException fail(String name, String problem) {
    return new AudioFormatException(name + ": " + problem);
  }
}
