/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every error path of the document loader: each case is a file on disk
 * that must be refused with the right code, and a message that starts with
 * the file's name and the place (line:column and path) and says what was
 * expected.
 */
#include "config.h"

#include <string.h>

#include "sw-presets.h"
#include "test-util.h"

#define HEAD "{\n  \"format\": \"spikeworks\",\n  \"version\": 1,\n"
#define POPS_E(extra) \
  "  \"populations\": [\n    {\"name\": \"E\", \"model\": \"lif_delta\", \"n\": 10" extra "}\n  ]\n"
#define POPS_EI(e_extra, i_extra) \
  "  \"populations\": [\n" \
  "    {\"name\": \"E\", \"model\": \"adex_cond\", \"n\": 10" e_extra "},\n" \
  "    {\"name\": \"I\", \"model\": \"adex_cond\", \"n\": 5, \"inhibitory\": true" i_extra "},\n" \
  "    {\"name\": \"src\", \"source\": \"poisson\", \"n\": 5, \"rate\": 3}\n" \
  "  ]"

typedef struct
{
  const char *name;
  const char *text;
  int code;
  const char *needle;   /* the text at the reported line:column, or NULL */
  const char *path;     /* the path in the message, or NULL */
  const char *fragments[3];
} Case;

static const Case cases[] = {
  { "empty", "", SW_DOCUMENT_ERROR_EMPTY, NULL, NULL, { "the document is empty" } },
  { "blank", "  \n\t\n", SW_DOCUMENT_ERROR_EMPTY, NULL, NULL, { "empty", "expected a JSON object" } },
  { "garbage-text", "hello world", SW_DOCUMENT_ERROR_SYNTAX, NULL, NULL, { "not valid JSON" } },
  { "trailing-comma", HEAD POPS_E ("") ",}", SW_DOCUMENT_ERROR_SYNTAX, NULL, NULL, { ":7:", "not valid JSON" } },
  { "top-level-array", "[1, 2]", SW_DOCUMENT_ERROR_FORMAT, NULL, NULL,
    { "not a Spikeworks document", "found an array" } },
  { "top-level-string", "\"spikeworks\"", SW_DOCUMENT_ERROR_FORMAT, NULL, NULL, { "found a string" } },
  { "no-format", "{\"name\": \"x\", \"dependencies\": {}}", SW_DOCUMENT_ERROR_FORMAT, NULL, NULL,
    { "\"format\": \"spikeworks\" is missing" } },
  { "other-format", "{\"format\": \"neuroml\", \"version\": 1}", SW_DOCUMENT_ERROR_FORMAT,
    "\"neuroml\"", "format", { "must be \"spikeworks\"" } },
  { "newer-version", "{\"format\": \"spikeworks\", \"version\": 2}", SW_DOCUMENT_ERROR_VERSION,
    "2}", "version", { "newer", "version 1" } },
  { "no-version", "{\"format\": \"spikeworks\"}", SW_DOCUMENT_ERROR_MISSING_FIELD, NULL, NULL,
    { "\"version\": 1" } },
  { "version-string", "{\"format\": \"spikeworks\", \"version\": \"1\"}", SW_DOCUMENT_ERROR_TYPE,
    "\"1\"", "version", { "expected a whole number, found a string" } },
  { "no-populations", HEAD "  \"name\": \"x\"\n}", SW_DOCUMENT_ERROR_MISSING_FIELD, NULL, NULL,
    { "needs \"populations\"" } },
  { "empty-populations", HEAD "  \"populations\": []\n}", SW_DOCUMENT_ERROR_RANGE, "[]",
    "populations", { "at least one" } },
  { "populations-object", HEAD "  \"populations\": {}\n}", SW_DOCUMENT_ERROR_TYPE, "{}",
    "populations", { "expected populations (an array in brackets), found an object" } },
  { "unknown-top-field", HEAD POPS_E ("") ",\n  \"projectons\": []\n}", SW_DOCUMENT_ERROR_UNKNOWN_FIELD,
    "\"projectons\"", "projectons", { "unknown field 'projectons'", "did you mean 'projections'?" } },
  { "unknown-pop-field", HEAD "  \"populations\": [{\"name\": \"E\", \"modle\": \"lif_delta\", \"n\": 10}]\n}",
    SW_DOCUMENT_ERROR_UNKNOWN_FIELD, "\"modle\"", "populations[0].modle", { "did you mean 'model'?" } },
  { "field-of-other-kind", HEAD POPS_E (", \"rate\": 5") "}", SW_DOCUMENT_ERROR_UNKNOWN_FIELD,
    "\"rate\"", "populations[0].rate", { "population of neurons", "expected one of" } },
  { "unknown-param", HEAD POPS_E (", \"params\": {\"tau_mm\": 10}") "}", SW_DOCUMENT_ERROR_UNKNOWN_FIELD,
    "\"tau_mm\"", "populations[0].params.tau_mm", { "unknown field 'tau_mm'", "did you mean 'tau_m'?" } },
  { "unknown-state", HEAD POPS_E (", \"init\": {\"w\": 10}") "}", SW_DOCUMENT_ERROR_UNKNOWN_FIELD,
    "\"w\"", "populations[0].init.w", { "initial state", "expected one of: v" } },
  { "unknown-model", HEAD "  \"populations\": [{\"name\": \"E\", \"model\": \"adex\", \"n\": 10}]\n}",
    SW_DOCUMENT_ERROR_UNKNOWN_NAME, "\"adex\"", "populations[0].model",
    { "unknown neuron model 'adex'", "did you mean 'adex_cond'?" } },
  { "no-model", HEAD "  \"populations\": [{\"name\": \"E\", \"n\": 10}]\n}",
    SW_DOCUMENT_ERROR_MISSING_FIELD, NULL, "populations[0]", { "\"model\"", "\"source\"" } },
  { "wrong-unit", HEAD POPS_EI (", \"params\": {\"tau_w\": \"5 mV\"}", "") "\n}", SW_DOCUMENT_ERROR_UNIT,
    "\"5 mV\"", "populations[0].params.tau_w",
    { "populations[0].params.tau_w: '5 mV' has the dimension of a voltage, expected a time (ms)" } },
  { "unknown-unit", HEAD POPS_EI (", \"params\": {\"tau_w\": \"5 mss\"}", "") "\n}", SW_DOCUMENT_ERROR_UNIT,
    "\"5 mss\"", "populations[0].params.tau_w", { "unknown unit 'mss'", "did you mean 'ms'?" } },
  { "negative-size", HEAD "  \"populations\": [{\"name\": \"E\", \"model\": \"lif_delta\", \"n\": -5}]\n}",
    SW_DOCUMENT_ERROR_RANGE, "-5", "populations[0].n", { "the size must be at least 1 (got -5)" } },
  { "zero-size", HEAD "  \"populations\": [{\"name\": \"E\", \"model\": \"lif_delta\", \"n\": 0}]\n}",
    SW_DOCUMENT_ERROR_RANGE, "0}", "populations[0].n", { "at least 1" } },
  { "absurd-size", HEAD "  \"populations\": [{\"name\": \"E\", \"model\": \"lif_delta\", \"n\": 1e12}]\n}",
    SW_DOCUMENT_ERROR_RANGE, "1e12", "populations[0].n", { "outside the allowed range 1 to 1073741824" } },
  { "fractional-size", HEAD "  \"populations\": [{\"name\": \"E\", \"model\": \"lif_delta\", \"n\": \"21/2\"}]\n}",
    SW_DOCUMENT_ERROR_VALUE, "\"21/2\"", "populations[0].n", { "whole number, got 10.5" } },
  { "param-range", HEAD POPS_E (", \"params\": {\"tau_m\": 0}") "}", SW_DOCUMENT_ERROR_RANGE,
    "0}", "populations[0].params.tau_m", { "0 ms is outside the allowed range 0.01 to 10000 ms" } },
  { "param-range-unit", HEAD POPS_E (", \"params\": {\"tau_m\": \"20 s\"}") "}", SW_DOCUMENT_ERROR_RANGE,
    "\"20 s\"", "populations[0].params.tau_m", { "20000 ms is outside the allowed range" } },
  { "undefined-variable",
    HEAD "  \"variables\": {\"b\": {\"value\": 30, \"unit\": \"pA\"}},\n"
    POPS_EI (", \"params\": {\"b\": \"2*bb\"}", "") "\n}", SW_DOCUMENT_ERROR_UNDEFINED_VARIABLE,
    "\"2*bb\"", "populations[0].params.b", { "'2*bb': undefined variable 'bb' at column 3", "did you mean 'b'?" } },
  { "cyclic-variables",
    HEAD "  \"variables\": {\"a\": {\"value\": \"b + 1\"}, \"b\": {\"value\": \"2*a\"}},\n" POPS_E ("") "}",
    SW_DOCUMENT_ERROR_CYCLE, "\"b + 1\"", "variables.a.value", { "circle: a → b → a" } },
  { "self-variable", HEAD "  \"variables\": {\"x\": \"x\"},\n" POPS_E ("") "}",
    SW_DOCUMENT_ERROR_CYCLE, "\"x\"}", "variables.x", { "x → x" } },
  { "nested-variable-error",
    HEAD "  \"variables\": {\"a\": {\"value\": \"b\"}, \"b\": {\"value\": \"log(0)\"}},\n" POPS_E ("") "}",
    SW_DOCUMENT_ERROR_VALUE, "\"b\"}", "variables.a.value", { "in variable 'b' = 'log(0)'", "positive" } },
  { "expression-syntax", HEAD POPS_E (", \"params\": {\"tau_m\": \"2 * (3\"}") "}", SW_DOCUMENT_ERROR_EXPRESSION,
    "\"2 * (3\"", "populations[0].params.tau_m", { "expected ')' at column 7, found the end" } },
  { "empty-expression", HEAD POPS_E (", \"params\": {\"tau_m\": \" \"}") "}", SW_DOCUMENT_ERROR_EXPRESSION,
    "\" \"", "populations[0].params.tau_m", { "empty string" } },
  { "domain", HEAD POPS_E (", \"params\": {\"tau_m\": \"log(-1) * 1 ms\"}") "}", SW_DOCUMENT_ERROR_VALUE,
    "\"log(-1)", "populations[0].params.tau_m", { "log() at column 1 needs a positive number" } },
  { "huge-number", HEAD POPS_E (", \"params\": {\"tau_m\": 1e400}") "}", SW_DOCUMENT_ERROR_VALUE,
    "1e400", "populations[0].params.tau_m", { "too large" } },
  { "wrong-type-bool", HEAD "  \"populations\": [{\"name\": \"E\", \"model\": \"lif_delta\", \"n\": true}]\n}",
    SW_DOCUMENT_ERROR_TYPE, "true", "populations[0].n", { "expected a number", "found true or false" } },
  { "wrong-type-name", HEAD "  \"populations\": [{\"name\": 5, \"model\": \"lif_delta\", \"n\": 1}]\n}",
    SW_DOCUMENT_ERROR_TYPE, "5,", "populations[0].name", { "expected a string in quotes, found a number" } },
  { "wrong-type-params", HEAD POPS_E (", \"params\": [1]") "}", SW_DOCUMENT_ERROR_TYPE,
    "[1]", "populations[0].params", { "found an array" } },
  { "wrong-type-inhibitory", HEAD POPS_E (", \"inhibitory\": \"yes\"") "}", SW_DOCUMENT_ERROR_TYPE,
    "\"yes\"", "populations[0].inhibitory", { "expected true or false" } },
  { "duplicate-field", HEAD POPS_E (", \"n\": 20") "}", SW_DOCUMENT_ERROR_DUPLICATE,
    "\"n\"", "populations[0].n", { "the field 'n' appears twice" } },
  { "duplicate-variable", HEAD "  \"variables\": {\"g\": 1, \"g\": 2},\n" POPS_E ("") "}",
    SW_DOCUMENT_ERROR_DUPLICATE, "\"g\"", "variables.g", { "defined twice" } },
  { "duplicate-population",
    HEAD "  \"populations\": [\n    {\"name\": \"E\", \"model\": \"lif_delta\", \"n\": 1},\n"
    "    {\"name\": \"E\", \"model\": \"lif_delta\", \"n\": 2}]\n}", SW_DOCUMENT_ERROR_DUPLICATE,
    NULL, "populations[1].name", { "already used by populations[0]" } },
  { "duplicate-projection-name",
    HEAD POPS_EI ("", "") ",\n  \"projections\": [\n"
    "    {\"name\": \"E\", \"pre\": \"E\", \"post\": \"I\", \"rule\": \"all_to_all\", \"weight\": 1}]\n}",
    SW_DOCUMENT_ERROR_DUPLICATE, NULL, "projections[0].name", { "already used by populations[0]" } },
  { "bad-name", HEAD "  \"populations\": [{\"name\": \"E cells\", \"model\": \"lif_delta\", \"n\": 1}]\n}",
    SW_DOCUMENT_ERROR_VALUE, "\"E cells\"", "populations[0].name", { "only letters, digits" } },
  { "bad-variable-name", HEAD "  \"variables\": {\"nu ext\": 1},\n" POPS_E ("") "}",
    SW_DOCUMENT_ERROR_VALUE, "\"nu ext\"", "variables[\"nu ext\"]", { "cannot name a variable" } },
  { "function-variable-name", HEAD "  \"variables\": {\"exp\": 1},\n" POPS_E ("") "}",
    SW_DOCUMENT_ERROR_VALUE, "\"exp\"", "variables.exp", { "name of a function" } },
  { "variable-unit", HEAD "  \"variables\": {\"r\": {\"value\": 1, \"unit\": \"Hzz\"}},\n" POPS_E ("") "}",
    SW_DOCUMENT_ERROR_UNIT, "\"Hzz\"", "variables.r.unit", { "unknown unit 'Hzz'", "did you mean 'Hz'?" } },
  { "variable-range",
    HEAD "  \"variables\": {\"nu\": {\"value\": 40, \"unit\": \"Hz\", \"min\": 0, \"max\": 30}},\n" POPS_E ("") "}",
    SW_DOCUMENT_ERROR_RANGE, "40,", "variables.nu.value", { "40 Hz is outside the variable's range, 0 to 30 Hz" } },
  { "variable-min-max",
    HEAD "  \"variables\": {\"nu\": {\"value\": 1, \"min\": 5, \"max\": 3}},\n" POPS_E ("") "}",
    SW_DOCUMENT_ERROR_RANGE, "3}", "variables.nu.max", { "below min" } },
  { "variable-dimension",
    HEAD "  \"variables\": {\"tau\": {\"value\": \"5 mV\", \"unit\": \"ms\"}},\n" POPS_E ("") "}",
    SW_DOCUMENT_ERROR_UNIT, "\"5 mV\"", "variables.tau.value", { "'5 mV' has the dimension of a voltage, expected a time (ms)" } },
  { "unknown-pre",
    HEAD POPS_EI ("", "") ",\n  \"projections\": [{\"pre\": \"Ee\", \"post\": \"I\", \"rule\": \"all_to_all\", \"weight\": 1}]\n}",
    SW_DOCUMENT_ERROR_UNKNOWN_NAME, "\"Ee\"", "projections[0].pre", { "unknown population 'Ee'", "did you mean 'E'?" } },
  { "onto-source",
    HEAD POPS_EI ("", "") ",\n  \"projections\": [{\"pre\": \"E\", \"post\": \"src\", \"rule\": \"all_to_all\", \"weight\": 1}]\n}",
    SW_DOCUMENT_ERROR_VALUE, "\"src\", \"rule\"", "projections[0].post", { "'src' is a source population" } },
  { "unknown-rule",
    HEAD POPS_EI ("", "") ",\n  \"projections\": [{\"pre\": \"E\", \"post\": \"I\", \"rule\": \"fixed_probabilty\", \"p\": 0.1, \"weight\": 1}]\n}",
    SW_DOCUMENT_ERROR_UNKNOWN_NAME, "\"fixed_probabilty\"", "projections[0].rule",
    { "unknown connection rule", "did you mean 'fixed_probability'?" } },
  { "missing-rule",
    HEAD POPS_EI ("", "") ",\n  \"projections\": [{\"pre\": \"E\", \"post\": \"I\", \"weight\": 1}]\n}",
    SW_DOCUMENT_ERROR_MISSING_FIELD, NULL, "projections[0]", { "needs the field 'rule'" } },
  { "missing-p",
    HEAD POPS_EI ("", "") ",\n  \"projections\": [{\"pre\": \"E\", \"post\": \"I\", \"rule\": \"fixed_probability\", \"weight\": 1}]\n}",
    SW_DOCUMENT_ERROR_MISSING_FIELD, NULL, "projections[0]", { "needs the field 'p'" } },
  { "p-range",
    HEAD POPS_EI ("", "") ",\n  \"projections\": [{\"pre\": \"E\", \"post\": \"I\", \"rule\": \"fixed_probability\", \"p\": 1.5, \"weight\": 1}]\n}",
    SW_DOCUMENT_ERROR_RANGE, "1.5", "projections[0].p", { "1.5 is outside the allowed range 0 to 1" } },
  { "p-wrong-rule",
    HEAD POPS_EI ("", "") ",\n  \"projections\": [{\"pre\": \"E\", \"post\": \"I\", \"rule\": \"fixed_indegree\", \"k\": 2, \"p\": 0.1, \"weight\": 1}]\n}",
    SW_DOCUMENT_ERROR_UNKNOWN_FIELD, "\"p\"", "projections[0].p", { "belongs to the fixed_probability rule" } },
  { "k-too-large",
    HEAD POPS_EI ("", "") ",\n  \"projections\": [{\"pre\": \"I\", \"post\": \"E\", \"rule\": \"fixed_indegree\", \"k\": 6, \"weight\": 1}]\n}",
    SW_DOCUMENT_ERROR_RANGE, "6,", "projections[0].k", { "more than the 5 distinct sources" } },
  { "multapses-wrong-rule",
    HEAD POPS_EI ("", "") ",\n  \"projections\": [{\"pre\": \"I\", \"post\": \"E\", \"rule\": \"all_to_all\", \"multapses\": true, \"weight\": 1}]\n}",
    SW_DOCUMENT_ERROR_UNKNOWN_FIELD, "\"multapses\"", "projections[0].multapses", { "fixed_indegree and fixed_outdegree" } },
  { "unknown-receptor",
    HEAD POPS_EI ("", "") ",\n  \"projections\": [{\"pre\": \"E\", \"post\": \"I\", \"receptor\": \"ex\", \"rule\": \"all_to_all\", \"weight\": 1}]\n}",
    SW_DOCUMENT_ERROR_UNKNOWN_NAME, "\"ex\"", "projections[0].receptor", { "unknown receptor 'ex'", "did you mean 'exc'?" } },
  { "weight-unit",
    HEAD POPS_EI ("", "") ",\n  \"projections\": [{\"pre\": \"E\", \"post\": \"I\", \"rule\": \"all_to_all\", \"weight\": \"1 mV\"}]\n}",
    SW_DOCUMENT_ERROR_UNIT, "\"1 mV\"", "projections[0].weight", { "expected a conductance (nS)" } },
  { "delay-negative",
    HEAD POPS_EI ("", "") ",\n  \"projections\": [{\"pre\": \"E\", \"post\": \"I\", \"rule\": \"all_to_all\", \"weight\": 1, \"delay\": -1}]\n}",
    SW_DOCUMENT_ERROR_RANGE, "-1}", "projections[0].delay", { "cannot be negative" } },
  { "unknown-dist",
    HEAD POPS_EI ("", "") ",\n  \"projections\": [{\"pre\": \"E\", \"post\": \"I\", \"rule\": \"all_to_all\", \"weight\": {\"dist\": \"gauss\", \"mean\": 1, \"sd\": 1}}]\n}",
    SW_DOCUMENT_ERROR_UNKNOWN_NAME, "\"gauss\"", "projections[0].weight.dist", { "unknown distribution 'gauss'", "expected one of" } },
  { "dist-missing",
    HEAD POPS_EI ("", "") ",\n  \"projections\": [{\"pre\": \"E\", \"post\": \"I\", \"rule\": \"all_to_all\", \"weight\": {\"dist\": \"uniform\", \"low\": 1}}]\n}",
    SW_DOCUMENT_ERROR_MISSING_FIELD, NULL, "projections[0].weight", { "needs the field 'high'" } },
  { "dist-order",
    HEAD POPS_EI ("", "") ",\n  \"projections\": [{\"pre\": \"E\", \"post\": \"I\", \"rule\": \"all_to_all\", \"weight\": {\"dist\": \"uniform\", \"low\": 2, \"high\": 1}}]\n}",
    SW_DOCUMENT_ERROR_RANGE, "1}", "projections[0].weight.high", { "below low" } },
  { "dist-sd",
    HEAD POPS_E (", \"init\": {\"v\": {\"dist\": \"normal\", \"mean\": 1, \"sd\": -1}}") "}",
    SW_DOCUMENT_ERROR_RANGE, "-1}", "populations[0].init.v.sd", { "must not be negative" } },
  { "unknown-waveform",
    HEAD "  \"populations\": [{\"name\": \"P\", \"source\": \"poisson\", \"n\": 1, \"rate\": [{\"waveform\": \"gaussian\", \"amplitude\": 1}]}]\n}",
    SW_DOCUMENT_ERROR_UNKNOWN_NAME, "\"gaussian\"", "populations[0].rate[0].waveform", { "unknown waveform 'gaussian'", "gaussian_rise" } },
  { "waveform-field",
    HEAD "  \"populations\": [{\"name\": \"P\", \"source\": \"poisson\", \"n\": 1, \"rate\": [{\"waveform\": \"pulse\", \"amplitude\": 1, \"t0\": 0, \"duration\": 5, \"tau1\": 3}]}]\n}",
    SW_DOCUMENT_ERROR_UNKNOWN_FIELD, "\"tau1\"", "populations[0].rate[0].tau1", { "a pulse component has no 'tau1'" } },
  { "waveform-missing",
    HEAD "  \"populations\": [{\"name\": \"P\", \"source\": \"poisson\", \"n\": 1, \"rate\": [{\"waveform\": \"pulse\", \"amplitude\": 1, \"t0\": 0}]}]\n}",
    SW_DOCUMENT_ERROR_MISSING_FIELD, NULL, "populations[0].rate[0]", { "needs the field 'duration'" } },
  { "negative-rate",
    HEAD "  \"populations\": [{\"name\": \"P\", \"source\": \"poisson\", \"n\": 1, \"rate\": \"-1 Hz\"}]\n}",
    SW_DOCUMENT_ERROR_RANGE, "\"-1 Hz\"", "populations[0].rate", { "at least 0 Hz" } },
  { "rate-object",
    HEAD "  \"populations\": [{\"name\": \"P\", \"source\": \"poisson\", \"n\": 1, \"rate\": {}}]\n}",
    SW_DOCUMENT_ERROR_TYPE, "{}", "populations[0].rate", { "array of waveform components" } },
  { "too-many-components",
    HEAD "  \"populations\": [{\"name\": \"P\", \"source\": \"poisson\", \"n\": 1, \"rate\": ["
    "{\"waveform\": \"constant\", \"amplitude\": 1}, {\"waveform\": \"constant\", \"amplitude\": 1},"
    "{\"waveform\": \"constant\", \"amplitude\": 1}, {\"waveform\": \"constant\", \"amplitude\": 1},"
    "{\"waveform\": \"constant\", \"amplitude\": 1}, {\"waveform\": \"constant\", \"amplitude\": 1},"
    "{\"waveform\": \"constant\", \"amplitude\": 1}, {\"waveform\": \"constant\", \"amplitude\": 1},"
    "{\"waveform\": \"constant\", \"amplitude\": 1}]}]\n}",
    SW_DOCUMENT_ERROR_RANGE, NULL, "populations[0].rate", { "9 waveform components; at most 8" } },
  { "spike-index",
    HEAD "  \"populations\": [{\"name\": \"S\", \"source\": \"spike_times\", \"n\": 2, \"times\": [[0, 1], [2, 3]]}]\n}",
    SW_DOCUMENT_ERROR_RANGE, "2, 3]", "populations[0].times[1][0]", { "2 is outside the allowed range 0 to 1" } },
  { "spike-pair",
    HEAD "  \"populations\": [{\"name\": \"S\", \"source\": \"spike_times\", \"n\": 2, \"times\": [[0, 1, 2]]}]\n}",
    SW_DOCUMENT_ERROR_TYPE, "[0, 1, 2]", "populations[0].times[0]", { "expected a pair [neuron, time]" } },
  { "spike-columns",
    HEAD "  \"populations\": [{\"name\": \"S\", \"source\": \"spike_times\", \"n\": 2, \"times\": {\"neuron\": [0, 1], \"t\": [1]}}]\n}",
    SW_DOCUMENT_ERROR_RANGE, "[1]", "populations[0].times.t", { "the same length" } },
  { "stim-onto-source",
    HEAD POPS_EI ("", "") ",\n  \"stimuli\": [{\"type\": \"poisson\", \"target\": \"src\", \"weight\": 1, \"rate\": 1}]\n}",
    SW_DOCUMENT_ERROR_VALUE, "\"src\", \"weight\"", "stimuli[0].target", { "source population" } },
  { "stim-field",
    HEAD POPS_EI ("", "") ",\n  \"stimuli\": [{\"type\": \"current\", \"target\": \"E\", \"weight\": 1, \"profile\": 1}]\n}",
    SW_DOCUMENT_ERROR_UNKNOWN_FIELD, "\"weight\"", "stimuli[0].weight", { "a current stimulus" } },
  { "stim-type",
    HEAD POPS_EI ("", "") ",\n  \"stimuli\": [{\"type\": \"poison\", \"target\": \"E\"}]\n}",
    SW_DOCUMENT_ERROR_UNKNOWN_NAME, "\"poison\"", "stimuli[0].type", { "did you mean 'poisson'?" } },
  { "stim-count",
    HEAD POPS_EI ("", "") ",\n  \"stimuli\": [{\"type\": \"current\", \"target\": \"I\", \"first\": 3, \"count\": 3, \"profile\": \"1 pA\"}]\n}",
    SW_DOCUMENT_ERROR_RANGE, "3, \"profile\"", "stimuli[0].count", { "do not exist: I has 5" } },
  { "stim-current-unit",
    HEAD POPS_EI ("", "") ",\n  \"stimuli\": [{\"type\": \"current\", \"target\": \"I\", \"profile\": \"1 mV\"}]\n}",
    SW_DOCUMENT_ERROR_UNIT, "\"1 mV\"", "stimuli[0].profile", { "expected a current (pA)" } },
  { "core-check", HEAD POPS_E (", \"params\": {\"V_reset\": 25}") "}", SW_DOCUMENT_ERROR_INVALID,
    NULL, NULL, { "V_reset (25 mV) must lie below V_th (20 mV)" } },
  { "dt-zero", HEAD "  \"simulation\": {\"dt\": 0},\n" POPS_E ("") "}", SW_DOCUMENT_ERROR_RANGE,
    "0}", "simulation.dt", { "the time step must be positive" } },
  { "dt-unit", HEAD "  \"simulation\": {\"dt\": \"0.1 mV\"},\n" POPS_E ("") "}", SW_DOCUMENT_ERROR_UNIT,
    "\"0.1 mV\"", "simulation.dt", { "expected a time (ms)" } },
  { "warmup", HEAD "  \"simulation\": {\"duration\": \"1 s\", \"warmup\": \"2 s\"},\n" POPS_E ("") "}",
    SW_DOCUMENT_ERROR_RANGE, "\"2 s\"", "simulation.warmup", { "longer than the whole duration" } },
  { "seed-negative", HEAD "  \"simulation\": {\"seed\": -1},\n" POPS_E ("") "}", SW_DOCUMENT_ERROR_RANGE,
    "-1}", "simulation.seed", { "outside the allowed range 0" } },
  { "threads", HEAD "  \"simulation\": {\"threads\": 5000},\n" POPS_E ("") "}", SW_DOCUMENT_ERROR_RANGE,
    "5000", "simulation.threads", { "0 to 1024" } },
  { "simulation-field", HEAD "  \"simulation\": {\"tstop\": 5},\n" POPS_E ("") "}",
    SW_DOCUMENT_ERROR_UNKNOWN_FIELD, "\"tstop\"", "simulation.tstop", { "expected one of: dt, duration" } },
  { "ui-array", HEAD POPS_E ("") ",\n  \"ui\": []\n}", SW_DOCUMENT_ERROR_TYPE, "[]", "ui", { "found an array" } },
};

static void
test_case (gconstpointer data)
{
  const Case *k = data;
  g_autofree char *path = write_temp_file ("bad.swk", k->text, -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(SwDocument) doc = sw_document_load_file (path, &error);
  g_autofree char *prefix = NULL;

  g_assert_null (doc);
  assert_doc_error (error, k->code, NULL);
  for (int i = 0; i < 3 && k->fragments[i] != NULL; i++)
    assert_doc_error (error, k->code, k->fragments[i], NULL);

  /* The message starts with the file, the line and column of the place,
   * and its path. */
  if (k->needle != NULL)
    {
      g_autofree char *where = position_of (k->text, k->needle);
      prefix = g_strdup_printf ("%s:%s: %s%s", path, where, k->path ? k->path : "",
                                k->path ? ": " : "");
    }
  else if (k->path != NULL)
    {
      /* The place of a missing field is its object: line:column, maybe. */
      g_autofree char *where = g_strdup_printf (": %s: ", k->path);
      prefix = g_strdup_printf ("%s:", path);
      assert_doc_error (error, k->code, where, NULL);
    }
  else
    prefix = g_strdup_printf ("%s:", path);
  if (!g_str_has_prefix (error->message, prefix))
    g_error ("message '%s' does not start with '%s'", error->message, prefix);

  /* The same text from memory names the given source instead. */
  {
    g_autoptr(GError) e2 = NULL;
    g_autoptr(SwDocument) d2 = sw_document_load_data (k->text, -1, "<stdin>", &e2);
    g_assert_null (d2);
    g_assert_error (e2, SW_DOCUMENT_ERROR, k->code);
    g_assert_true (g_str_has_prefix (e2->message, "<stdin>:"));
  }
  remove_temp_file (path);
}

static void
test_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_temp_file ("x.swk", "", 0);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *missing = g_build_filename (dir, "missing.swk", NULL);
  g_autoptr(SwDocument) doc = sw_document_load_file (missing, &error);
  g_autofree char *expect = g_strdup_printf ("%s: no such file", missing);

  g_assert_null (doc);
  assert_doc_error (error, SW_DOCUMENT_ERROR_NOT_FOUND, NULL);
  g_assert_cmpstr (error->message, ==, expect);
  g_clear_error (&error);

  /* A folder is not a document. */
  doc = sw_document_load_file (dir, &error);
  g_assert_null (doc);
  assert_doc_error (error, SW_DOCUMENT_ERROR_READ, dir, "folder", NULL);
  remove_temp_file (path);
}

static void
test_binary (void)
{
  static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0";
  static const char nul[] = "{\"format\": \"spikeworks\"\0, \"version\": 1}";
  g_autofree char *path = write_temp_file ("image.swk", png, sizeof png - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(SwDocument) doc = sw_document_load_file (path, &error);
  g_autofree char *prefix = g_strdup_printf ("%s: ", path);

  g_assert_null (doc);
  assert_doc_error (error, SW_DOCUMENT_ERROR_NOT_TEXT, "binary data", "offset 0", NULL);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  g_clear_error (&error);

  doc = sw_document_load_data (nul, sizeof nul - 1, "nul.swk", &error);
  g_assert_null (doc);
  assert_doc_error (error, SW_DOCUMENT_ERROR_NOT_TEXT, "nul.swk: ", "offset 23", NULL);
  remove_temp_file (path);
}

static void
test_truncated (void)
{
  g_autoptr(GBytes) bytes = sw_presets_lookup ("destexhe-adex", NULL);
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  /* Cut anywhere, a document is either refused as truncated JSON or, when
   * the cut leaves valid JSON, never crashes. */
  for (gsize cut = 1; cut < size; cut += size / 7)
    {
      g_autofree char *text = g_strndup (data, cut);
      g_autofree char *path = write_temp_file ("cut.swk", text, -1);
      g_autoptr(GError) error = NULL;
      g_autoptr(SwDocument) doc = sw_document_load_file (path, &error);
      g_autofree char *prefix = g_strdup_printf ("%s:", path);

      g_assert_null (doc);
      assert_doc_error (error, SW_DOCUMENT_ERROR_SYNTAX, "not valid JSON", "truncated", NULL);
      g_assert_true (g_str_has_prefix (error->message, prefix));
      /* line:column follow the name. */
      g_assert_true (g_ascii_isdigit (error->message[strlen (prefix)]));
      remove_temp_file (path);
    }
}

static void
test_loads_after_errors (void)
{
  /* The error cases differ from a valid document only where they say. */
  static const char *const valid[] = {
    HEAD POPS_E ("") "}",
    HEAD POPS_EI (", \"params\": {\"tau_w\": \"5 ms\"}", "") "\n}",
    HEAD "  \"variables\": {\"b\": {\"value\": 30, \"unit\": \"pA\"}},\n"
    POPS_EI (", \"params\": {\"b\": \"2*b\"}", "") "\n}",
    HEAD POPS_EI ("", "") ",\n  \"projections\": [{\"pre\": \"E\", \"post\": \"I\", \"rule\": \"fixed_probability\", \"p\": 1, \"weight\": 1}]\n}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SwDocument) doc = sw_document_load_data (valid[i], -1, "ok.swk", &error);
      g_assert_no_error (error);
      g_assert_nonnull (doc);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/model/errors/%s", cases[i].name);
      g_test_add_data_func (name, &cases[i], test_case);
    }
  g_test_add_func ("/model/errors/missing-file", test_missing_file);
  g_test_add_func ("/model/errors/binary", test_binary);
  g_test_add_func ("/model/errors/truncated", test_truncated);
  g_test_add_func ("/model/errors/valid-variants", test_loads_after_errors);

  return g_test_run ();
}
