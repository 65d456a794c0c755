// The "Vector Index Scans" section of EXPLAIN (ANALYZE) (see explain.h): how
// it is written in each format, and the receiver that adds it to EXPLAIN's
// output.
//
// EXPLAIN sends TEXT one line per row and JSON, XML and YAML as one row. The
// section goes after the plan tree in TEXT (before the first unindented line
// after the root's: "Planning Time", "Triggers", ...), and in the other
// formats as the last member of the last "Query" object, written by an
// ExplainState set to that object's depth, so the ExplainProperty* functions
// do the format's own quoting and indentation.
//
// Plain C-style code (palloc, no C++ object alive across PostgreSQL calls).
#include "pg/common/explain.h"

extern "C" {
#include "executor/tuptable.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
}

namespace vx::pg {

// "hnsw.max_scan_tuples = 50, 1 of 2 loops".
static char* limit_text(const ScanStats& st) {
    return psprintf("%s = " INT64_FORMAT ", " UINT64_FORMAT " of " UINT64_FORMAT " loops",
                    st.limit_setting, st.limit_value, st.limit_hits, st.loops);
}

// Iterative extensions: "yes (3 times)" / "no" in TEXT, a boolean and a count elsewhere.
static void explain_extensions(ExplainState* es, const ScanStats& st) {
    if (es->format == EXPLAIN_FORMAT_TEXT) {
        char* v = st.extensions ? psprintf("yes (" UINT64_FORMAT " time%s)", st.extensions,
                                           st.extensions == 1 ? "" : "s")
                                : pstrdup("no");
        ExplainPropertyText("Iterative Scan Extended", v, es);
        return;
    }
    ExplainPropertyBool("Iterative Scan Extended", st.extensions > 0, es);
    ExplainPropertyUInteger("Iterative Scan Extensions", NULL, st.extensions, es);
}

// Whether a loop stopped at a walk limit, with the setting to raise; and a
// hint when iterative scans were off while the query wanted more rows.
static void explain_limits(ExplainState* es, const ScanStats& st) {
    bool hit = st.limit_hits > 0;
    if (es->format == EXPLAIN_FORMAT_TEXT) {
        ExplainPropertyText("Scan Limit Reached", hit ? psprintf("yes (%s)", limit_text(st)) : "no", es);
    } else {
        ExplainPropertyBool("Scan Limit Reached", hit, es);
        if (hit) {
            ExplainPropertyText("Scan Limit Setting", st.limit_setting, es);
            ExplainPropertyInteger("Scan Limit Value", NULL, st.limit_value, es);
            ExplainPropertyUInteger("Scan Limit Loops", NULL, st.limit_hits, es);
        }
    }
    if (hit)
        ExplainPropertyText("Scan Limit Hint",
                            psprintf("raise %s to let the scan walk further", st.limit_setting), es);
    if (st.unextended > 0)
        ExplainPropertyText("Iterative Scan Hint",
                            psprintf("%s is off, so the scan ended after its first batch; "
                                     "set it to relaxed_order to return more rows",
                                     st.iterative_setting),
                            es);
}

// The counters of one scan.
static void explain_counters(ExplainState* es, const ScanReport* r) {
    const ScanStats& st = r->stats;
    ExplainPropertyUInteger("Loops", NULL, st.loops, es);
    ExplainPropertyUInteger("Candidates", NULL, st.candidates, es);
    ExplainPropertyUInteger("Codes Compared", NULL, st.codes_compared, es);
    if (st.lists_total > 0) {
        if (es->format == EXPLAIN_FORMAT_TEXT) {
            ExplainPropertyText("Lists Probed",
                                psprintf(UINT64_FORMAT " (index has %u)", st.lists_probed, st.lists_total), es);
        } else {
            ExplainPropertyUInteger("Lists Probed", NULL, st.lists_probed, es);
            ExplainPropertyUInteger("Lists In Index", NULL, st.lists_total, es);
        }
    }
    ExplainPropertyUInteger("Heap Fetches For Rescoring", NULL, st.heap_fetches, es);
    ExplainPropertyUInteger("Rows Returned", NULL, st.rows_returned, es);
    explain_extensions(es, st);
    explain_limits(es, st);
    if (r->workers > 0) {
        if (es->format == EXPLAIN_FORMAT_TEXT)
            ExplainPropertyText("Parallel Workers",
                                psprintf("%d (not counted: the numbers above are this process's)", r->workers), es);
        else
            ExplainPropertyInteger("Parallel Workers Not Counted", NULL, r->workers, es);
    }
}

void explain_scans(ExplainState* es, List* scans) {
    ListCell* lc;
    bool text = es->format == EXPLAIN_FORMAT_TEXT;
    if (text) {
        appendStringInfoSpaces(es->str, es->indent * 2);
        appendStringInfoString(es->str, "Vector Index Scans:\n");
        es->indent++;
    }
    ExplainOpenGroup("Vector Index Scans", "Vector Index Scans", false, es);
    foreach (lc, scans) {
        const ScanReport* r = (const ScanReport*) lfirst(lc);
        ExplainOpenGroup("Vector Index Scan", NULL, true, es);
        if (text) {
            appendStringInfoSpaces(es->str, es->indent * 2);
            appendStringInfo(es->str, "Index Scan using %s on %s (%s)%s\n", r->index, r->relation, r->am,
                             r->executed ? "" : " (never executed)");
            es->indent++;
        } else {
            ExplainPropertyText("Index Name", r->index, es);
            ExplainPropertyText("Relation Name", r->relation, es);
            ExplainPropertyText("Access Method", r->am, es);
        }
        explain_counters(es, r);
        if (text)
            es->indent--;
        ExplainCloseGroup("Vector Index Scan", NULL, true, es);
    }
    ExplainCloseGroup("Vector Index Scans", "Vector Index Scans", false, es);
    if (text)
        es->indent--;
}

/* The receiver wrapping EXPLAIN's output. */
struct CaptureDest {
    DestReceiver pub;
    DestReceiver* inner;
    ExplainCapture* cap;
    TupleDesc desc;
    TupleTableSlot* slot; /* for rows we send */
    int lines;            /* rows seen */
    bool written;         /* the section is out */
};

// Sends one text row.
static void send_text(CaptureDest* d, const char* s, int len) {
    TupleTableSlot* slot = d->slot;
    ExecClearTuple(slot);
    slot->tts_values[0] = PointerGetDatum(cstring_to_text_with_len(s, len));
    slot->tts_isnull[0] = false;
    ExecStoreVirtualTuple(slot);
    d->inner->receiveSlot(slot, d->inner);
    pfree(DatumGetPointer(slot->tts_values[0]));
    ExecClearTuple(slot);
}

// TEXT: the section, one row per line.
static void send_text_section(CaptureDest* d) {
    ExplainState* es = NewExplainState();
    es->format = EXPLAIN_FORMAT_TEXT;
    explain_scans(es, d->cap->scans);
    const char* p = es->str->data;
    while (*p) {
        const char* eol = strchr(p, '\n');
        int len = eol ? (int) (eol - p) : (int) strlen(p);
        send_text(d, p, len);
        p += len + (eol ? 1 : 0);
    }
    d->written = true;
}

// JSON, XML, YAML: the document with the section inside its last "Query".
static char* splice_section(ExplainFormat format, const char* doc, List* scans) {
    ExplainState* es = NewExplainState();
    es->format = format;
    es->grouping_stack = list_make1_int(1); /* members before ours */
    const char* at = NULL;
    switch (format) {
    case EXPLAIN_FORMAT_JSON: /* ...\n  }\n] */
        es->indent = 2;
        at = strstr(doc, "\n  }\n]");
        while (at && strstr(at + 1, "\n  }\n]"))
            at = strstr(at + 1, "\n  }\n]");
        break;
    case EXPLAIN_FORMAT_XML: /* ...  </Query>\n</explain> */
        es->indent = 2;
        at = strstr(doc, "  </Query>\n</explain>");
        break;
    case EXPLAIN_FORMAT_YAML: /* the last Query's members end the document */
        es->indent = 1;
        at = doc + strlen(doc);
        break;
    default:
        break;
    }
    if (at == NULL)
        return NULL;
    explain_scans(es, scans);
    StringInfoData out;
    initStringInfo(&out);
    appendBinaryStringInfo(&out, doc, (int) (at - doc));
    appendStringInfoString(&out, es->str->data);
    appendStringInfoString(&out, at);
    return out.data;
}

static void dest_startup(DestReceiver* self, int operation, TupleDesc desc) {
    CaptureDest* d = (CaptureDest*) self;
    d->desc = desc;
    d->slot = MakeSingleTupleTableSlot(desc, &TTSOpsVirtual);
    d->inner->rStartup(d->inner, operation, desc);
}

// Forwards EXPLAIN's rows, adding the section where it belongs.
static bool dest_receive(TupleTableSlot* slot, DestReceiver* self) {
    CaptureDest* d = (CaptureDest*) self;
    if (d->cap->scans == NIL || d->written || d->desc->natts != 1)
        return d->inner->receiveSlot(slot, d->inner);
    slot_getallattrs(slot);
    if (slot->tts_isnull[0])
        return d->inner->receiveSlot(slot, d->inner);
    char* row = text_to_cstring(DatumGetTextPP(slot->tts_values[0]));
    if (d->cap->format == EXPLAIN_FORMAT_TEXT) {
        if (d->lines++ > 0 && row[0] != ' ')
            send_text_section(d);
        return d->inner->receiveSlot(slot, d->inner);
    }
    char* doc = splice_section(d->cap->format, row, d->cap->scans);
    if (doc == NULL)
        return d->inner->receiveSlot(slot, d->inner);
    d->written = true;
    send_text(d, doc, (int) strlen(doc));
    return true;
}

// End of EXPLAIN's output: a TEXT plan without summary lines gets the section last.
static void dest_shutdown(DestReceiver* self) {
    CaptureDest* d = (CaptureDest*) self;
    if (d->cap->scans != NIL && !d->written && d->cap->format == EXPLAIN_FORMAT_TEXT && d->desc &&
        d->desc->natts == 1)
        send_text_section(d);
    if (d->slot)
        ExecDropSingleTupleTableSlot(d->slot);
    d->slot = NULL;
    d->inner->rShutdown(d->inner);
}

// The wrapped receiver belongs to EXPLAIN's caller, which destroys it.
static void dest_destroy(DestReceiver* self) {
    (void) self;
}

DestReceiver* explain_capture_dest(DestReceiver* inner, ExplainCapture* cap) {
    CaptureDest* d = (CaptureDest*) palloc0(sizeof(CaptureDest));
    d->pub.receiveSlot = dest_receive;
    d->pub.rStartup = dest_startup;
    d->pub.rShutdown = dest_shutdown;
    d->pub.rDestroy = dest_destroy;
    d->pub.mydest = inner->mydest;
    d->inner = inner;
    d->cap = cap;
    return &d->pub;
}

}  // namespace vx::pg
