package gpupoor.calc.accurate;

import gpupoor.calc.ModelSpec;
import gpupoor.calc.Quant;
import gpupoor.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A checkpoint's quantization_config read as our formats: the weights a published GPTQ, AWQ, bitsandbytes or fp8 model takes. */
class QuantizationConfigTest {

    private static final String BASE = """
            {"model_type": "llama", "hidden_size": 4096, "num_hidden_layers": 32, "num_attention_heads": 32,
             "num_key_value_heads": 8, "intermediate_size": 14336, "vocab_size": 128256, "tie_word_embeddings": false%s}""";

    private static WeightBytes published(String quantizationConfig) {
        ModelSpec m = Catalog.parseConfig("q.json", BASE.formatted(", \"quantization_config\": " + quantizationConfig));
        return WeightBytes.of(Architecture.of(m), m, Quant.NONE, false);
    }

    private static WeightBytes asked(Quant q, boolean doubleQuant) {
        ModelSpec m = Catalog.parseConfig("q.json", BASE.formatted(""));
        return WeightBytes.of(Architecture.of(m), m, q, doubleQuant);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"quant_method\": \"gptq\", \"bits\": 4, \"group_size\": 128} | gptq-int4 | false",
            "{\"quant_method\": \"gptq\", \"bits\": 8, \"group_size\": 128} | gptq-int8 | false",
            "{\"quant_method\": \"awq\", \"bits\": 4, \"group_size\": 128} | awq-int4 | false",
            "{\"quant_method\": \"bitsandbytes\", \"load_in_4bit\": true, \"bnb_4bit_use_double_quant\": true} | bnb-nf4 | true",
            "{\"quant_method\": \"bitsandbytes\", \"load_in_4bit\": true} | bnb-nf4 | false",
            "{\"load_in_8bit\": true} | bnb-int8 | false",
            "{\"quant_method\": \"compressed-tensors\", \"config_groups\": {\"group_0\": {\"weights\": {\"num_bits\": 4, \"type\": \"int\", \"group_size\": 128}}}} | gptq-int4 | false"})
    void aPublishedQuantizationWeighsWhatOursDoes(String config, String quant, boolean doubleQuant) {
        WeightBytes p = published(config);
        WeightBytes a = asked(Quant.parse(quant), doubleQuant);
        assertEquals(a.total(), p.total(), 1e-6, config);
        assertTrue(p.total() < 0.4 * asked(Quant.NONE, false).total() || quant.endsWith("8"), config);
    }

    @Test
    void groupSizesAndFp8AreTheCheckpoints() {
        // group size 32 carries four times the scales of 128
        double g32 = published("{\"quant_method\": \"gptq\", \"bits\": 4, \"group_size\": 32}").total();
        double g128 = published("{\"quant_method\": \"gptq\", \"bits\": 4, \"group_size\": 128}").total();
        assertTrue(g32 > g128, g32 + " vs " + g128);
        assertTrue(published("{\"quant_method\": \"gptq\", \"bits\": 4, \"group_size\": 32}").format().startsWith("the checkpoint's"));
        // fp8 with 128x128 block scales: a byte per linear-layer weight
        double fp8 = published("{\"quant_method\": \"fp8\", \"weight_block_size\": [128, 128]}").total();
        assertEquals(asked(Quant.FP8, false).total(), fp8, 1e-6);
        // no quantization_config: 16-bit
        assertEquals(2.0 * Architecture.of(Catalog.parseConfig("q.json", BASE.formatted(""))).totalParams(),
                asked(Quant.NONE, false).total());
    }
}
