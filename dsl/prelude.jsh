// The imports every notebook and jshell session of gpu_poor starts with.
import gpupoor.calc.*;
import gpupoor.catalog.*;
import tech.tablesaw.api.*;
import org.knowm.xchart.*;
import static gpupoor.dsl.Validation.*;
