package gpupoor.calibrate;

import gpupoor.calc.Method;
import gpupoor.calc.Methods;
import gpupoor.validate.BandFit;
import gpupoor.validate.ValidationRun;
import gpupoor.validate.Validator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bundled bands and their tables in calibration.md are what the current method's residuals give. */
class ErrorBandsFitTest {

    @Test
    void bundledBandsAndTheirTablesMatchTheMethodsResiduals() throws IOException {
        List<ValidationRun> runs = new ArrayList<>();
        for (Method m : Methods.all()) {
            runs.add(Validator.run(m));
        }
        String stale = " is stale (the method or the measurements changed): run scripts/fit-error-bands.sh";
        assertTrue(BandFit.fit(runs).toCsv().equals(Files.readString(ErrorBandsFit.CSV, StandardCharsets.UTF_8)),
                ErrorBandsFit.CSV + stale);
        String doc = Files.readString(ErrorBandsFit.DOC, StandardCharsets.UTF_8);
        assertTrue(ErrorBandsFit.withSection(doc, ErrorBandsFit.section(runs)).equals(doc),
                "the bands section of " + ErrorBandsFit.DOC + stale);
    }
}
