package io.thinklab.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.thinklab.Shared;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerConfigTest {

  @Test
  void readsStringAndObjectSpecialTokens(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("tokenizer_config.json"), """
        {"bos_token": null, "eos_token": {"content": "<|endoftext|>", "special": true}, "pad_token": "<|pad|>",
         "add_bos_token": false, "added_tokens_decoder": {"151667": {"content": "<think>"}},
         "chat_template": "{{ messages }}"}""");
    TokenizerConfig c = TokenizerConfig.read(dir);
    assertNull(c.bosToken());
    assertEquals("<|endoftext|>", c.eosToken());
    assertEquals("<|pad|>", c.padToken());
    assertEquals(Boolean.FALSE, c.addBosToken());
    assertNull(c.addEosToken());
    assertEquals(151667, c.addedTokenId("<think>"));
    assertEquals(-1, c.addedTokenId("</think>"));
    assertEquals("{{ messages }}", c.chatTemplate());
  }

  @Test
  void readsNanbeigeReference() {
    TokenizerConfig c = TokenizerConfig.read(Shared.reference("nanbeige4-3b-base/tokenizer_config.json"));
    assertEquals("<s>", c.bosToken());
    assertEquals("</s>", c.eosToken());
    assertEquals(Boolean.TRUE, c.addBosToken());
    assertEquals(166104, c.addedTokenId("</think>"));
    assertEquals(2, c.addedTokenId("</s>"));
  }

  @Test
  void badFileNamesTheFile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("tokenizer_config.json");
    Files.writeString(f, "[1, 2]");
    var e = assertThrows(IllegalArgumentException.class, () -> TokenizerConfig.read(f));
    assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
  }
}
