// The OWL API's OWL 2 DL profile checker on Turtle files, offline.
//
// For each file given, loads it into an ontology of its own and prints, each line starting
// with the file's path and a tab:
//   - one line per OWL 2 DL profile violation;
//   - one line per triple the RDF mapping could not turn into an axiom or annotation
//     ("Unparsed triple: ..."): a graph that leaves any is not OWL 2 DL either, though the
//     profile checker never sees them;
//   - one line per owl:imports ("Import not followed: ..."): no IRI is ever fetched (each
//     is mapped to a file that does not exist), so what an import would bring is unchecked;
//   - "axioms: N" and, last, "violations: N" (the lines above, counted).
// With -Dowl.readBack=DIR, each ontology as read is also written back, in Turtle, to
// DIR/<the file's name>, so what the mapping kept can be compared with the file.
//
// Run with Java 11 or later (a JDK: the source is compiled when launched):
//   java -cp "$CLASS_PATH" tests/owl/ProfileCheck.java FILE.ttl [FILE.ttl ...]

import java.io.File;
import java.util.ArrayList;
import java.util.List;

import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.formats.TurtleDocumentFormat;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.io.OWLOntologyLoaderMetaData;
import org.semanticweb.owlapi.io.RDFParserMetaData;
import org.semanticweb.owlapi.io.RDFTriple;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class ProfileCheck {
    private static String oneLine(Object value) {
        return value.toString().replaceAll("\\s+", " ").trim();
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: ProfileCheck FILE.ttl [FILE.ttl ...]");
            System.exit(2);
        }
        for (String path : args) {
            OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
            manager.getIRIMappers().clear();
            manager.getIRIMappers().add(iri -> IRI.create(new File("/nonexistent/owl-import-not-followed").toURI()));
            OWLOntologyLoaderConfiguration config = new OWLOntologyLoaderConfiguration()
                .setFollowRedirects(false)
                .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.SILENT);
            FileDocumentSource source = new FileDocumentSource(new File(path), new TurtleDocumentFormat());
            OWLOntology ontology = manager.loadOntologyFromOntologyDocument(source, config);

            List<String> problems = new ArrayList<>();
            for (OWLProfileViolation violation : new OWL2DLProfile().checkOntology(ontology).getViolations()) {
                problems.add(oneLine(violation));
            }
            OWLOntologyLoaderMetaData meta =
                manager.getOntologyFormat(ontology).getOntologyLoaderMetaData().orElse(null);
            if (meta instanceof RDFParserMetaData) {
                ((RDFParserMetaData) meta).getUnparsedTriples()
                    .forEach((RDFTriple triple) -> problems.add("Unparsed triple: " + oneLine(triple)));
            }
            ontology.importsDeclarations()
                .forEach(declaration -> problems.add("Import not followed: " + declaration.getIRI()));
            for (String problem : problems) {
                System.out.println(path + "\t" + problem);
            }
            String readBack = System.getProperty("owl.readBack");
            if (readBack != null) {
                File target = new File(readBack, new File(path).getName());
                manager.saveOntology(ontology, new TurtleDocumentFormat(), IRI.create(target.toURI()));
            }
            System.out.println(path + "\taxioms: " + ontology.getAxiomCount());
            System.out.println(path + "\tviolations: " + problems.size());
        }
    }
}
