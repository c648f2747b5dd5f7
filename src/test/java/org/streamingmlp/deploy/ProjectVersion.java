package org.streamingmlp.deploy;

import java.io.IOException;
import java.nio.file.Path;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Element;
import org.xml.sax.SAXException;

/** The service's version, from service/pom.xml: the tag of its images. */
final class ProjectVersion {

    private static final String POM = "service/pom.xml";

    private ProjectVersion() {
    }

    static String read(Path repository) throws IOException {
        try {
            Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(repository.resolve(POM).toFile()).getDocumentElement();
            for (var node = project.getFirstChild(); node != null; node = node.getNextSibling()) {
                if (node instanceof Element e && e.getTagName().equals("version")) {
                    return e.getTextContent().trim();
                }
            }
            throw new IOException(POM + " has no project version");
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException(POM + " cannot be read: " + e.getMessage(), e);
        }
    }
}
