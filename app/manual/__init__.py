"""The citizen manual (คู่มือสำหรับประชาชน): validated from citizen_manual/, versioned, published as HTML and PDF."""
