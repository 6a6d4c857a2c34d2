"""Honours (荣誉/表彰) of people and organisations: the title, its level, who awarded it
and under which document, with the scanned certificate."""
