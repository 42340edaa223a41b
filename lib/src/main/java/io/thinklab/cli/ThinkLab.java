package io.thinklab.cli;
public class ThinkLab { public static void main(String[] a){ System.out.println("thinklab"); } }
