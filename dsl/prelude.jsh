// The imports every notebook and jshell session of gpu_poor starts with (display(..) and print(..) show a
// value: a jshell script prints nothing for a bare expression statement).
import gpupoor.calc.*;
import gpupoor.catalog.*;
import tech.tablesaw.api.*;
import org.knowm.xchart.*;
import gpupoor.dsl.*;
import static gpupoor.dsl.Dsl.*;
import static gpupoor.dsl.Metric.*;
import static gpupoor.dsl.Limit.*;
import static gpupoor.calc.Quant.*;
import static gpupoor.calc.Framework.*;
import static gpupoor.calc.TrainMethod.*;
import static gpupoor.calc.Optimizer.*;
import static gpupoor.dsl.Validation.*;
import static gpupoor.kernel.Display.*;
