package soko.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DisplayTest {
  @Test
  void controlCharactersAreEscapedVisibly() {
    assertThat(Display.safe("a\u001b[2Kb\u0007c\u0000d\u007fe\u009bf")).isEqualTo("a\\u001b[2Kb\\u0007c\\u0000d\\u007fe\\u009bf");
  }

  @Test
  void lineBreaksAndTabsStayOnTheLine() {
    assertThat(Display.safe("line one\nline two\r\tend")).isEqualTo("line one\\nline two\\r\\tend");
  }

  @Test
  void bidiControlsAndOtherInvisibleCharactersAreEscaped() {
    assertThat(Display.safe("x\u202ey\u2066z\u2069\u200b\u200f\ufeff\u2028\u3164\udb40\udc01"))
        .isEqualTo("x\\u202ey\\u2066z\\u2069\\u200b\\u200f\\ufeff\\u2028\\u3164\\U000e0001");
  }

  @Test
  void aLoneSurrogateIsEscaped() {
    assertThat(Display.safe("a\ud800b\udc00")).isEqualTo("a\\ud800b\\udc00");
  }

  @Test
  void lettersOfEveryScriptAndEmojiPassUnchanged() {
    String text = "whisper-base 日本語 한국어 café Ünïcödé \ud83d\ude00 (MIT) \\ backslash";

    assertThat(Display.safe(text)).isSameAs(text);
  }
}
